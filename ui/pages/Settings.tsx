// Settings of the current project and its org: keys, members and invites, model prices, new projects and orgs, data
// retention, the audit log and deleting the project.
import { ErrorNote } from "../components/ErrorNote.tsx";
import { NameForm } from "../components/NameForm.tsx";
import { api } from "../lib/api.ts";
import { createProjectIn, nameIn } from "../lib/projects.ts";
import { useAction } from "../lib/use-api.ts";
import { canManage, loadMe, type Org } from "../state/session.ts";
import { DataSettings } from "./DataSettings.tsx";
import { Keys } from "./Keys.tsx";
import { Members } from "./Members.tsx";
import { Prices } from "./Prices.tsx";
import { ScoreConfigs } from "./ScoreConfigs.tsx";
import { Shares } from "./Shares.tsx";
import { Usage } from "./Usage.tsx";

export function Settings({ project, org }: { project: string; org: Org }) {
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
    <div class="settings">
      <Keys project={project} canManage={manager} />
      <Members org={org} canManage={manager} />
      <Prices project={project} canEdit={org.role !== "viewer"} />
      <ScoreConfigs project={project} canEdit={manager} />
      <Shares project={project} role={org.role} />
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
      {manager && <Usage org={org} />}
      <DataSettings project={project} org={org} />
    </div>
  );
}
