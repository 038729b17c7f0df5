// Settings → Share links: the project's public links to single traces (members and above), with revoke for their
// creator and admins. A link's token is never shown again after it is created; a lost link is revoked and made anew.
import type { ShareLink } from "../../contract/shares.ts";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { Link } from "../components/Link.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { api } from "../lib/api.ts";
import { shortTime } from "../lib/format.ts";
import { useAction, useApi } from "../lib/use-api.ts";
import { me, type Role } from "../state/session.ts";

function stateOf(s: ShareLink, now = Date.now()) {
  if (s.revoked_at) return "revoked";
  if (s.expires_at !== null && s.expires_at <= now) return "expired";
  return s.expires_at === null ? "never expires" : `until ${shortTime(s.expires_at)}`;
}

const shows = (s: ShareLink) => (s.hide_io ? "no inputs/outputs" : "everything");

export function Shares({ project, role }: { project: string; role: Role }) {
  const base = `/api/projects/${encodeURIComponent(project)}/shares` as const;
  const list = useApi(role === "viewer" ? null : base);
  const action = useAction();
  if (role === "viewer") return null;
  const admin = role === "owner" || role === "admin";
  const mine = `user:${me.value?.user.id}`;
  const revoke = (s: ShareLink) =>
    action.run(async (init) => {
      if (!confirm("Revoke this link? Anyone opening it gets “not found” from now on.")) return;
      await api(`${base}/${s.id}`, { ...init, method: "DELETE" });
      list.reload();
    });
  const columns: Array<Column<ShareLink>> = [
    {
      label: "Trace",
      title: (s) => s.trace_id,
      cell: (s) => <Link href={`/p/${project}/traces/${encodeURIComponent(s.trace_id)}`}>{s.trace_id}</Link>,
    },
    {
      label: "Shows",
      priority: 2,
      fit: { text: (s) => shows(s) },
      cell: (s) => shows(s),
    },
    {
      label: "By",
      priority: 3,
      fit: { text: (s) => s.created_by_name ?? "API key", max: 24 },
      title: (s) => s.created_by_name ?? s.created_by,
      cell: (s) => s.created_by_name ?? "API key",
    },
    {
      label: "Created",
      priority: 3,
      fit: { text: (s) => shortTime(s.created_at) },
      cell: (s) => shortTime(s.created_at),
    },
    { label: "State", fit: { text: (s) => stateOf(s), max: 26 }, title: (s) => stateOf(s), cell: (s) => stateOf(s) },
    {
      label: "Actions",
      header: <span class="sr-only">Actions</span>,
      width: "6.5rem",
      class: "actions",
      cell: (s) =>
        stateOf(s) !== "revoked" &&
        (admin || s.created_by === mine) && (
          <button type="button" class="danger" onClick={() => revoke(s)}>
            Revoke
          </button>
        ),
    },
  ];
  const shares = list.data.value?.shares ?? [];
  return (
    <section id="shares">
      <h2>Share links</h2>
      <p class="muted">
        Public, read-only links to single traces, made with Share on a trace's page. Anyone with a link sees that trace
        and nothing else; the link itself was shown once, when it was made.
      </p>
      <ErrorNote error={list.error} />
      <ErrorNote error={action.error} />
      {list.data.value && !shares.length ? (
        <p class="muted">No trace of this project has been shared.</p>
      ) : (
        <Table
          columns={columns}
          rows={shares}
          rowKey={(s) => s.id}
          testId="share-links"
          rowProps={(s) => ({ class: stateOf(s) === "revoked" || stateOf(s) === "expired" ? "revoked" : "" })}
        />
      )}
    </section>
  );
}
