// Settings → Share links: the project's public links to single traces (members and above), with revoke for their
// creator and admins. A link's token is never shown again after it is created; a lost link is revoked and made anew.
import type { ShareLink } from "../../contract/shares.ts";
import { Link } from "../components/Link.tsx";
import { actionsColumn, DangerButton, Panel, textColumn, useList } from "../components/ListForm.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { shortTime } from "../lib/format.ts";
import { canManage, me, type Role } from "../state/session.ts";

function stateOf(s: ShareLink, now = Date.now()) {
  if (s.revoked_at) return "revoked";
  if (s.expires_at !== null && s.expires_at <= now) return "expired";
  return s.expires_at === null ? "never expires" : `until ${shortTime(s.expires_at)}`;
}

/** A column as wide as its longest text, up to `max` characters. */
const fitted = (label: string, text: (s: ShareLink) => string, max?: number, more?: Partial<Column<ShareLink>>) =>
  textColumn(label, text, { fit: { text, max }, ...more });

export function Shares({ project, role }: { project: string; role: Role }) {
  const base = `/api/projects/${encodeURIComponent(project)}/shares` as const;
  const { list, remove, errors } = useList(role === "viewer" ? null : base);
  if (role === "viewer") return null;
  const admin = canManage(role);
  const mine = `user:${me.value?.user.id}`;
  const columns: Array<Column<ShareLink>> = [
    {
      label: "Trace",
      title: (s) => s.trace_id,
      cell: (s) => <Link href={`/p/${project}/traces/${encodeURIComponent(s.trace_id)}`}>{s.trace_id}</Link>,
    },
    fitted("Shows", (s) => (s.hide_io ? "no inputs/outputs" : "everything"), undefined, { priority: 2 }),
    fitted("By", (s) => s.created_by_name ?? "API key", 24, {
      priority: 3,
      title: (s) => s.created_by_name ?? s.created_by,
    }),
    fitted("Created", (s) => shortTime(s.created_at), undefined, { priority: 3 }),
    fitted("State", (s) => stateOf(s), 26),
    actionsColumn(
      (s) =>
        stateOf(s) !== "revoked" &&
        (admin || s.created_by === mine) && (
          <DangerButton
            text="Revoke"
            onClick={() =>
              remove(`${base}/${s.id}`, "Revoke this link? Anyone opening it gets “not found” from now on.")
            }
          />
        ),
      "6.5rem",
    ),
  ];
  const shares = list.data.value?.shares ?? [];
  return (
    <Panel
      id="shares"
      title="Share links"
      intro="Public, read-only links to single traces, made with Share on a trace's page. Anyone with a link sees that trace and nothing else; the link itself was shown once, when it was made."
      errors={errors}
    >
      {list.data.value && !shares.length ? (
        <p class="muted">No trace of this project has been shared.</p>
      ) : (
        <Table
          columns={columns}
          rows={shares}
          rowKey={(s) => s.id}
          testId="share-links"
          rowProps={(s) => ({ class: /^(revoked|expired)$/.test(stateOf(s)) ? "revoked" : "" })}
        />
      )}
    </Panel>
  );
}
