// The project's data: how long it is kept (admins change it), the org's audit log (admins), and deleting the project
// (admins, after typing its name).
import { useSignal } from "@preact/signals";
import type { ProjectAnswer } from "../../contract/accounts.ts";
import type { AuditEntry } from "../../contract/data.ts";
import { LIFECYCLE_LIMITS } from "../../contract/limits.ts";
import { onFields, Panel, textColumn } from "../components/ListForm.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { api } from "../lib/api.ts";
import { grouped, shortTime } from "../lib/format.ts";
import { type Read, useAction, useApi, usePaged } from "../lib/use-api.ts";
import { navigate } from "../state/router.ts";
import { allProjects, canManage, loadMe, type Org } from "../state/session.ts";

const days = (n: number | null) => (n === null ? "forever" : n === 1 ? "1 day" : `${grouped(n)} days`);

export function DataSettings({ project, org }: { project: string; org: Org }) {
  const admin = canManage(org.role);
  // A change made here is the audit log's newest entry: read it again.
  const changes = useSignal(0);
  const read = useApi(`/api/projects/${project}`);
  const saved = () => {
    read.reload();
    changes.value++;
  };
  return (
    <>
      <Retention read={read} admin={admin} onSaved={saved} />
      {admin && <AuditLog org={org} key={changes.value} />}
      {admin && read.data.value && <DeleteProject project={project} name={read.data.value.project.name} />}
    </>
  );
}

function Retention({ read, admin, onSaved }: { read: Read<ProjectAnswer>; admin: boolean; onSaved: () => void }) {
  const action = useAction();
  const saved = useSignal(false);
  const p = read.data.value?.project;
  const save = onFields((field) => {
    const value = field("days");
    saved.value = false;
    void action.run(async (init) => {
      await api(`/api/projects/${p!.id}`, {
        ...init,
        method: "PATCH",
        json: { retention_days: value === "" ? null : Number(value) },
      });
      saved.value = true;
      onSaved();
    });
  });
  const rollupDays = Math.max(p?.effective_retention_days ?? 0, LIFECYCLE_LIMITS.rollupRetentionDays);
  return (
    <Panel title="Data retention" errors={[read.error, action.error]}>
      {p && (
        <p data-testid="retention">
          Traces are kept <strong>{days(p.effective_retention_days)}</strong>
          {p.effective_retention_days !== null && " after their last event"}
          {p.retention_days === null && " (this instance's default)"}.
          {p.effective_retention_days !== null && <span class="muted"> Cost totals are kept {days(rollupDays)}.</span>}
        </p>
      )}
      {admin && p && (
        <form class="inline" onSubmit={save}>
          <label>
            Keep traces for (days)
            <input
              name="days"
              type="number"
              min={LIFECYCLE_LIMITS.minRetentionDays}
              max={LIFECYCLE_LIMITS.maxRetentionDays}
              placeholder="default"
              defaultValue={String(p.retention_days ?? "")}
              key={p.retention_days}
            />
          </label>
          <button type="submit" disabled={action.busy.value}>
            Save
          </button>
          {saved.value && <span class="muted">Saved.</span>}
        </form>
      )}
      {admin && <p class="muted">Leave it empty for the instance's default. Expired traces go within minutes.</p>}
    </Panel>
  );
}

/** "key.created" → "Key created", "trace.deletion_requested" → "Trace deletion requested"; an end user is named so. */
const actionLabel = (action: string) => {
  const [what = "", done = ""] = action.split(".");
  const subject = what === "user" ? "End user's data" : what.charAt(0).toUpperCase() + what.slice(1);
  return `${subject} ${done.replace("_", " ")}${action === "project.moved" ? " to data database" : ""}`;
};

function AuditLog({ org }: { org: Org }) {
  const log = usePaged(`/api/orgs/${org.id}/audit-log?limit=20`);
  const projectName = (id: string | null) =>
    id === null ? "—" : (allProjects.value.find((p) => p.id === id)?.name ?? `${id} (deleted)`);
  const who = (e: AuditEntry) =>
    e.actor_email ?? (e.actor === "system" ? "WatchLLM" : e.actor.startsWith("key:") ? "secret key" : e.actor);
  const what = (e: AuditEntry) => {
    if (e.action === "project.retention_changed")
      return `Retention: ${e.target === "default" ? "default" : days(Number(e.target))}`;
    const change = e.action === "member.role_changed" ? ` (${e.details.from} → ${e.details.to})` : "";
    return `${actionLabel(e.action)}${e.target ? `: ${e.target}` : ""}${change}`;
  };
  const columns: Array<Column<AuditEntry>> = [
    { label: "When", width: "8.5rem", title: (e) => new Date(e.at).toISOString(), cell: (e) => shortTime(e.at) },
    textColumn("Who", who, { width: "30%", priority: 2 }),
    textColumn("What", what),
    textColumn("Project", (e) => projectName(e.project_id), { width: "22%", priority: 3 }),
  ];
  const entries = log.pages?.flatMap((p) => p.entries) ?? [];
  return (
    <Panel title={`Audit log of ${org.name}`} errors={[log.error, log.more.error]}>
      {log.pages && !entries.length && (
        <p class="muted">Nothing yet: keys, members, invites, retention changes and deletions show here.</p>
      )}
      {entries.length > 0 && (
        <Table columns={columns} rows={entries} rowKey={(e) => e.id} testId="audit-log" caption="Audit log" />
      )}
      {log.next && (
        <button type="button" onClick={() => void log.loadMore()} disabled={log.more.busy.value}>
          Load more
        </button>
      )}
    </Panel>
  );
}

function DeleteProject({ project, name }: { project: string; name: string }) {
  const typed = useSignal("");
  const action = useAction();
  const remove = (e: Event) => {
    e.preventDefault();
    void action.run(async (init) => {
      await api(`/api/projects/${project}`, { ...init, method: "DELETE" });
      await loadMe();
      navigate("/");
    });
  };
  return (
    <Panel class="danger-zone" title="Delete this project" errors={[action.error]}>
      <p>
        Its keys stop working at once; every trace, body and cost of <strong>{name}</strong> is deleted within minutes.
        This can't be undone.
      </p>
      <form class="inline" onSubmit={remove}>
        <label>
          Type the project's name to confirm
          <input
            value={typed.value}
            onInput={(e) => (typed.value = (e.target as HTMLInputElement).value)}
            autocomplete="off"
            spellcheck={false}
          />
        </label>
        <button type="submit" class="danger" disabled={typed.value !== name || action.busy.value}>
          Delete project
        </button>
      </form>
    </Panel>
  );
}
