// Members and invites of an org: roles, removal, invite links.
import { useSignal } from "@preact/signals";
import type { Member } from "../../contract/accounts.ts";
import { ROLES, type Role } from "../../contract/constants.ts";
import { Copy } from "../components/Copy.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { api } from "../lib/api.ts";
import { useAction, useApi } from "../lib/use-api.ts";
import type { Org } from "../state/session.ts";

export function Members({ org, canManage }: { org: Org; canManage: boolean }) {
  const members = useApi(`/api/orgs/${org.id}/members`);
  const invites = useApi(canManage ? `/api/orgs/${org.id}/invites` : null);
  const link = useSignal<string | null>(null);
  const action = useAction();
  /** Runs a change, then reloads members and invites. */
  const guard = (change: (init: { signal?: AbortSignal }) => Promise<unknown>) =>
    action.run(async (init) => {
      await change(init);
      members.reload();
      invites.reload();
    });
  const columns: Array<Column<Member> | false> = [
    { label: "Name", title: (m) => m.name, cell: (m) => m.name },
    { label: "Email", priority: 2, title: (m) => m.email, cell: (m) => m.email },
    {
      label: "Role",
      width: "7.5rem",
      cell: (m) =>
        canManage ? (
          <select
            aria-label={`Role of ${m.email}`}
            value={m.role}
            onChange={(e) =>
              guard(async () => {
                await api(`/api/orgs/${org.id}/members/${m.user_id}`, {
                  method: "PATCH",
                  json: { role: (e.target as HTMLSelectElement).value as Role },
                });
              })
            }
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        ) : (
          m.role
        ),
    },
    canManage && {
      label: "Actions",
      header: <span class="sr-only">Actions</span>,
      width: "7rem",
      class: "actions",
      cell: (m) => (
        <button
          type="button"
          class="danger"
          onClick={() =>
            guard(async () => {
              if (!confirm(`Remove ${m.email} from ${org.name}?`)) return;
              await api(`/api/orgs/${org.id}/members/${m.user_id}`, { method: "DELETE" });
            })
          }
        >
          Remove
        </button>
      ),
    },
  ];
  return (
    <section>
      <h2>Members of {org.name}</h2>
      <ErrorNote error={members.error} />
      <ErrorNote error={invites.error} />
      <ErrorNote error={action.error} />
      <Table columns={columns} rows={members.data.value?.members ?? []} rowKey={(m) => m.user_id} />
      {canManage && (
        <>
          <h3>Invite people</h3>
          <form
            class="inline"
            onSubmit={(e) => {
              e.preventDefault();
              const role = new FormData(e.target as HTMLFormElement).get("role") as Role;
              void guard(async () => {
                link.value = (await api(`/api/orgs/${org.id}/invites`, { method: "POST", json: { role } })).invite.url;
              });
            }}
          >
            <label>
              Role
              <select name="role">
                {ROLES.map((r) => (
                  <option key={r} value={r} selected={r === "member"}>
                    {r}
                  </option>
                ))}
              </select>
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
          {(invites.data.value?.invites.length ?? 0) > 0 && (
            <ul class="plain">
              {(invites.data.value?.invites ?? []).map((i) => (
                <li key={i.id}>
                  Pending {i.role} invite, expires {new Date(i.expires_at).toLocaleString()}{" "}
                  <button
                    type="button"
                    class="danger"
                    onClick={() =>
                      guard(async () => {
                        await api(`/api/orgs/${org.id}/invites/${i.id}`, { method: "DELETE" });
                      })
                    }
                  >
                    Revoke
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
