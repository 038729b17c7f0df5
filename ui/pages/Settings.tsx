// Settings of the current project and its org: keys, members and invites, model prices, new projects and orgs.
import { api } from "../api.ts";
import { navigate } from "../state/router.ts";
import { canManage, loadMe, type Org, rememberKey } from "../state/session.ts";
import { Keys } from "./Keys.tsx";
import { Members } from "./Members.tsx";
import { Prices } from "./Prices.tsx";

export function Settings({ project, org }: { project: string; org: Org }) {
  const manager = canManage(org.role);
  return (
    <div class="settings">
      <Keys project={project} canManage={manager} />
      <Members org={org} canManage={manager} />
      <Prices project={project} canEdit={org.role !== "viewer"} />
      <section>
        <h2>Projects and orgs</h2>
        {manager && (
          <form
            class="inline"
            onSubmit={async (e) => {
              e.preventDefault();
              const name = new FormData(e.target as HTMLFormElement).get("name");
              const res = await api<{ project: { id: string }; keys: { ingest: string; secret: string } }>(
                `/api/orgs/${org.id}/projects`,
                { json: { name } },
              );
              rememberKey(res.project.id, "ingest", res.keys.ingest);
              rememberKey(res.project.id, "secret", res.keys.secret);
              await loadMe();
              navigate(`/p/${res.project.id}/traces`);
            }}
          >
            <label>
              New project in {org.name}
              <input name="name" required placeholder="e.g. support-bot" />
            </label>
            <button type="submit">Create project</button>
          </form>
        )}
        <form
          class="inline"
          onSubmit={async (e) => {
            e.preventDefault();
            await api("/api/orgs", { json: { name: new FormData(e.target as HTMLFormElement).get("name") } });
            await loadMe();
          }}
        >
          <label>
            New org
            <input name="name" required placeholder="e.g. Acme Inc." />
          </label>
          <button type="submit">Create org</button>
        </form>
      </section>
    </div>
  );
}
