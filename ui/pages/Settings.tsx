// Settings of the current project and its org, one tab each: keys, members and invites and new projects and orgs; model
// prices; score configs; share links; the org's usage; data retention, the audit log and deleting the project. A tab is
// the path's last part: /p/:project/settings/data. Every tab loads with this page, one chunk (ui/pages/chunks/): they
// share their list-and-form parts (ui/components/ListForm.tsx).
import { Link } from "../components/Link.tsx";
import { onFields, Panel } from "../components/ListForm.tsx";
import { NameForm } from "../components/NameForm.tsx";
import { api } from "../lib/api.ts";
import { createProjectIn } from "../lib/projects.ts";
import { useAction } from "../lib/use-api.ts";
import { canManage, loadMe, type Org } from "../state/session.ts";
import { DataSettings } from "./DataSettings.tsx";
import { Keys } from "./Keys.tsx";
import { Members } from "./Members.tsx";
import { Prices } from "./Prices.tsx";
import { ScoreConfigs } from "./ScoreConfigs.tsx";
import { Shares } from "./Shares.tsx";
import { Usage } from "./Usage.tsx";

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
  const createProject = onFields((field) => void action.run((init) => createProjectIn(org.id, field("name"), init)));
  const createOrg = onFields(
    (field) =>
      void action.run(async (init) => {
        await api("/api/orgs", { method: "POST", ...init, json: { name: field("name") } });
        await loadMe();
      }),
  );
  return (
    <>
      <Keys project={project} canManage={manager} />
      <Members org={org} canManage={manager} />
      <Panel title="Projects and orgs" errors={[action.error]}>
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
      </Panel>
    </>
  );
}
