// Settings of the current project and its org, one tab each: keys, members and invites and new projects and orgs; model
// prices; score configs; share links; the org's usage; data retention, the audit log and deleting the project. A tab is
// the path's last part: /p/:project/settings/data. Prices with usage, and data with score configs, load with their tab
// (ui/pages/chunks/); share links are small and come with this page.
import { ErrorNote } from "../components/ErrorNote.tsx";
import { Link } from "../components/Link.tsx";
import { NameForm } from "../components/NameForm.tsx";
import { api } from "../lib/api.ts";
import { lazy } from "../lib/lazy.tsx";
import { createProjectIn, nameIn } from "../lib/projects.ts";
import { useAction } from "../lib/use-api.ts";
import { canManage, loadMe, type Org } from "../state/session.ts";
import { Keys } from "./Keys.tsx";
import { Members } from "./Members.tsx";
import { Shares } from "./Shares.tsx";

const DataSettings = lazy(() => import("./chunks/project-data.ts").then((m) => m.DataSettings));
const Prices = lazy(() => import("./chunks/usage.ts").then((m) => m.Prices));
const ScoreConfigs = lazy(() => import("./chunks/project-data.ts").then((m) => m.ScoreConfigs));
const Usage = lazy(() => import("./chunks/usage.ts").then((m) => m.Usage));

const TABS = [
  ["", "General"],
  ["prices", "Model prices"],
  ["scores", "Score configs"],
  ["shares", "Share links"],
  ["usage", "Usage"],
  ["data", "Data"],
] as const;

export function Settings({ project, org, tab = "" }: { project: string; org: Org; tab?: string }) {
  const manager = canManage(org.role);
  const base = `/p/${project}/settings`;
  return (
    <div class="settings">
      <nav class="subtabs" aria-label="Settings">
        {TABS.filter(([id]) => id !== "usage" || manager).map(([id, label]) => (
          <Link key={id} href={id ? `${base}/${id}` : base} exact>
            {label}
          </Link>
        ))}
      </nav>
      {tab === "prices" ? (
        <Prices project={project} canEdit={org.role !== "viewer"} />
      ) : tab === "scores" ? (
        <ScoreConfigs project={project} canEdit={manager} />
      ) : tab === "shares" ? (
        <Shares project={project} role={org.role} />
      ) : tab === "usage" && manager ? (
        <Usage org={org} />
      ) : tab === "data" ? (
        <DataSettings project={project} org={org} />
      ) : (
        <General project={project} org={org} />
      )}
    </div>
  );
}

/** Keys, members and invites, new projects and orgs. */
function General({ project, org }: { project: string; org: Org }) {
  const manager = canManage(org.role);
  const action = useAction();
  const createProject = (e: Event) => {
    e.preventDefault();
    const name = nameIn(e);
    void action.run((init) => createProjectIn(org.id, name, init));
  };
  const createOrg = (e: Event) => {
    e.preventDefault();
    const name = nameIn(e);
    void action.run(async (init) => {
      await api("/api/orgs", { method: "POST", ...init, json: { name } });
      await loadMe();
    });
  };
  return (
    <>
      <Keys project={project} canManage={manager} />
      <Members org={org} canManage={manager} />
      <section>
        <h2>Projects and orgs</h2>
        <ErrorNote error={action.error} />
        {manager && (
          <NameForm
            label={`New project in ${org.name}`}
            placeholder="e.g. support-bot"
            button="Create project"
            busy={action.busy.value}
            onSubmit={createProject}
          />
        )}
        <NameForm
          label="New org"
          placeholder="e.g. Acme Inc."
          button="Create org"
          busy={action.busy.value}
          onSubmit={createOrg}
        />
      </section>
    </>
  );
}
