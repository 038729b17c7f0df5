// Members and invites of an org: roles, removal, invite links.
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { ApiError, api } from "../api.ts";
import { Copy } from "../components/Copy.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import type { Org, Role } from "../state/session.ts";

type Member = { user_id: string; email: string; name: string; role: Role };
type Invite = { id: string; role: Role; email: string | null; expires_at: number };
const ROLES: Role[] = ["owner", "admin", "member", "viewer"];

export function Members({ org, canManage }: { org: Org; canManage: boolean }) {
  const members = useSignal<Member[]>([]);
  const invites = useSignal<Invite[]>([]);
  const link = useSignal<string | null>(null);
  const error = useSignal<string | null>(null);
  const guard = async (f: () => Promise<unknown>) => {
    error.value = null;
    try {
      await f();
    } catch (err) {
      error.value = err instanceof ApiError ? err.message : String(err);
    }
  };
  const load = () =>
    guard(async () => {
      members.value = (await api<{ members: Member[] }>(`/api/orgs/${org.id}/members`)).members;
      if (canManage) invites.value = (await api<{ invites: Invite[] }>(`/api/orgs/${org.id}/invites`)).invites;
    });
  useEffect(() => void load(), [org.id]);
  return (
    <section>
      <h2>Members of {org.name}</h2>
      <ErrorNote error={error.value} />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {members.value.map((m) => (
              <tr key={m.user_id}>
                <td>{m.name}</td>
                <td>{m.email}</td>
                <td>
                  {canManage ? (
                    <select
                      aria-label={`Role of ${m.email}`}
                      value={m.role}
                      onChange={(e) =>
                        guard(async () => {
                          await api(`/api/orgs/${org.id}/members/${m.user_id}`, {
                            method: "PATCH",
                            json: { role: (e.target as HTMLSelectElement).value },
                          });
                          await load();
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
                  )}
                </td>
                <td>
                  {canManage && (
                    <button
                      type="button"
                      class="danger"
                      onClick={() =>
                        guard(async () => {
                          if (!confirm(`Remove ${m.email} from ${org.name}?`)) return;
                          await api(`/api/orgs/${org.id}/members/${m.user_id}`, { method: "DELETE" });
                          await load();
                        })
                      }
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canManage && (
        <>
          <h3>Invite people</h3>
          <form
            class="inline"
            onSubmit={(e) => {
              e.preventDefault();
              const role = new FormData(e.target as HTMLFormElement).get("role");
              void guard(async () => {
                link.value = (
                  await api<{ invite: { url: string } }>(`/api/orgs/${org.id}/invites`, { json: { role } })
                ).invite.url;
                await load();
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
          {invites.value.length > 0 && (
            <ul class="plain">
              {invites.value.map((i) => (
                <li key={i.id}>
                  Pending {i.role} invite, expires {new Date(i.expires_at).toLocaleString()}{" "}
                  <button
                    type="button"
                    class="danger"
                    onClick={() =>
                      guard(async () => {
                        await api(`/api/orgs/${org.id}/invites/${i.id}`, { method: "DELETE" });
                        await load();
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
