// The project's data: how long it is kept (admins change it), the org's audit log (admins), and deleting the project
// (admins, after typing its name).
import { useSignal } from "@preact/signals";
import type { ProjectAnswer } from "../../contract/accounts.ts";
import type { AuditEntry } from "../../contract/data.ts";
import { LIFECYCLE_LIMITS } from "../../contract/limits.ts";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { api } from "../lib/api.ts";
import { shortTime } from "../lib/format.ts";
import { type Read, useAction, useApi, usePaged } from "../lib/use-api.ts";
import { navigate } from "../state/router.ts";
import { allProjects, canManage, loadMe, type Org } from "../state/session.ts";

const days = (n: number | null) => (n === null ? "forever" : n === 1 ? "1 day" : `${n.toLocaleString()} days`);

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
  const save = (e: Event) => {
    e.preventDefault();
    const value = String(new FormData(e.target as HTMLFormElement).get("days") ?? "").trim();
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
  };
  const rollupDays = Math.max(p?.effective_retention_days ?? 0, LIFECYCLE_LIMITS.rollupRetentionDays);
  return (
    <section>
      <h2>Data retention</h2>
      <ErrorNote error={read.error} />
      <ErrorNote error={action.error} />
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
              value={p.retention_days ?? ""}
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
    </section>
  );
}

const actionLabel: Record<string, string> = {
  "project.retention_changed": "Retention changed",
  "project.renamed": "Project renamed",
  "project.deletion_requested": "Project deletion requested",
  "project.deleted": "Project deleted",
  "trace.deletion_requested": "Trace deletion requested",
  "trace.deleted": "Trace deleted",
  "user.deletion_requested": "End user's data deletion requested",
  "user.deleted": "End user's data deleted",
  "project.moved": "Project moved to data database",
  "key.created": "Key created",
  "key.revoked": "Key revoked",
  "member.role_changed": "Role changed",
  "member.removed": "Member removed",
  "member.left": "Member left",
  "invite.created": "Invite created",
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
    return `${actionLabel[e.action] ?? e.action}${e.target ? `: ${e.target}` : ""}${change}`;
  };
  const columns: Array<Column<AuditEntry>> = [
    { label: "When", width: "8.5rem", title: (e) => new Date(e.at).toISOString(), cell: (e) => shortTime(e.at) },
    { label: "Who", width: "30%", priority: 2, title: who, cell: who },
    { label: "What", title: what, cell: what },
    {
      label: "Project",
      width: "22%",
      priority: 3,
      title: (e) => projectName(e.project_id),
      cell: (e) => projectName(e.project_id),
    },
  ];
  const entries = log.pages?.flatMap((p) => p.entries) ?? [];
  return (
    <section>
      <h2>Audit log of {org.name}</h2>
      <ErrorNote error={log.error} />
      <ErrorNote error={log.more.error} />
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
    </section>
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
    <section class="danger-zone">
      <h2>Delete this project</h2>
      <p>
        Its keys stop working at once; every trace, body and cost of <strong>{name}</strong> is deleted within minutes.
        This can't be undone.
      </p>
      <ErrorNote error={action.error} />
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
    </section>
  );
}
