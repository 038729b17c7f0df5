// Members and invites of an org: roles, removal, invite links.
import { useSignal } from "@preact/signals";
import type { Member } from "../../contract/accounts.ts";
import { ROLES, type Role } from "../../contract/constants.ts";
import { Copy } from "../components/Copy.tsx";
import { actionsColumn, DangerButton, onFields, Panel, textColumn, useList } from "../components/ListForm.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { api } from "../lib/api.ts";
import { time } from "../lib/format.ts";
import { useApi } from "../lib/use-api.ts";
import type { Org } from "../state/session.ts";

const roleOptions = (selected?: Role) =>
  ROLES.map((r) => (
    <option key={r} value={r} selected={r === selected}>
      {r}
    </option>
  ));

export function Members({ org, canManage }: { org: Org; canManage: boolean }) {
  const base = `/api/orgs/${org.id}` as const;
  const { list: members, change, remove, errors } = useList(`${base}/members`);
  const invites = useApi(canManage ? `${base}/invites` : null);
  const link = useSignal<string | null>(null);
  /** A change, after which the invites are read again too (the members are). */
  const guard = (work: Parameters<typeof change>[0], ask?: string) =>
    change(async (init) => {
      await work(init);
      invites.reload();
    }, ask);
  const columns: Array<Column<Member> | false> = [
    textColumn("Name", (m) => m.name),
    textColumn("Email", (m) => m.email, { priority: 2 }),
    {
      label: "Role",
      width: "7.5rem",
      cell: (m) =>
        canManage ? (
          <select
            aria-label={`Role of ${m.email}`}
            value={m.role}
            onChange={(e) =>
              change((init) =>
                api(`${base}/members/${m.user_id}`, {
                  ...init,
                  method: "PATCH",
                  json: { role: (e.target as HTMLSelectElement).value as Role },
                }),
              )
            }
          >
            {roleOptions()}
          </select>
        ) : (
          m.role
        ),
    },
    canManage &&
      actionsColumn((m) => (
        <DangerButton
          text="Remove"
          onClick={() => remove(`${base}/members/${m.user_id}`, `Remove ${m.email} from ${org.name}?`)}
        />
      )),
  ];
  return (
    <Panel title={`Members of ${org.name}`} errors={[invites.error, ...errors]}>
      <Table columns={columns} rows={members.data.value?.members ?? []} rowKey={(m) => m.user_id} />
      {canManage && (
        <>
          <h3>Invite people</h3>
          <form
            class="inline"
            onSubmit={onFields((field) =>
              guard(async (init) => {
                const role = field("role") as Role;
                link.value = (await api(`${base}/invites`, { method: "POST", ...init, json: { role } })).invite.url;
              }),
            )}
          >
            <label>
              Role
              <select name="role">{roleOptions("member")}</select>
            </label>
            <button type="submit" class="primary">
              Create invite link
            </button>
          </form>
          {link.value && (
            <div class="notice" data-testid="invite-link">
              <p>Single-use link, valid 72 hours:</p>
              <Copy value={link.value} label="Invite link" />
            </div>
          )}
          {!!invites.data.value?.invites.length && (
            <ul class="plain">
              {invites.data.value.invites.map((i) => (
                <li key={i.id}>
                  Pending {i.role} invite, expires {time(i.expires_at)}{" "}
                  <DangerButton
                    text="Revoke"
                    onClick={() => guard((init) => api(`${base}/invites/${i.id}`, { ...init, method: "DELETE" }))}
                  />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Panel>
  );
}
