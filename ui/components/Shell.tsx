// The app frame: brand, project switcher, nav, user menu; the page goes in the middle. A `fill` page (one trace)
// gets exactly the window's height and scrolls inside its own panes.
import type { ComponentChildren } from "preact";
import { api } from "../lib/api.ts";
import { useAction } from "../lib/use-api.ts";
import { navigate } from "../state/router.ts";
import { allProjects, me } from "../state/session.ts";
import { ErrorNote } from "./ErrorNote.tsx";
import { Link } from "./Link.tsx";
import { QuotaBanner } from "./QuotaBanner.tsx";

const SECTIONS = ["overview", "traces", "sessions", "users", "costs", "alerts", "settings"] as const;
export type Section = (typeof SECTIONS)[number] | "compare";

export function Shell({
  project,
  section,
  fill = false,
  children,
}: {
  project: string;
  section: Section;
  fill?: boolean;
  children: ComponentChildren;
}) {
  const logout = useAction();
  const org = allProjects.value.find((p) => p.id === project)?.org;
  return (
    <div class={fill ? "shell fill" : "shell"}>
      <header class="top">
        <a class="brand" href="/" aria-label="WatchLLM home">
          ◉ WatchLLM
        </a>
        <label class="switcher">
          <span class="sr-only">Project</span>
          <select value={project} onChange={(e) => navigate(`/p/${(e.target as HTMLSelectElement).value}/${section}`)}>
            {allProjects.value.map((p) => (
              <option value={p.id} key={p.id}>
                {p.org.name} / {p.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          class="link"
          disabled={logout.busy.value}
          onClick={() =>
            logout.run(async (init) => {
              await api("/api/auth/logout", { method: "POST", json: {}, ...init });
              me.value = null;
              navigate("/login");
            })
          }
        >
          Log out
        </button>
      </header>
      <nav class="tabs" aria-label="Sections">
        {SECTIONS.map((s) => (
          <Link key={s} href={`/p/${project}/${s}`}>
            {s[0]!.toUpperCase() + s.slice(1)}
          </Link>
        ))}
      </nav>
      <main class="page">
        <ErrorNote error={logout.error} />
        {org && <QuotaBanner org={org} project={project} />}
        {children}
      </main>
    </div>
  );
}
