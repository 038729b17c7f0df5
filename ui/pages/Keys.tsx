// API keys of a project: list (prefix only), create (full key shown once), revoke.
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { ApiError, api } from "../api.ts";
import { Copy } from "../components/Copy.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { rememberKey } from "../state/session.ts";

type Key = {
  id: string;
  kind: "ingest" | "secret";
  name: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
};
const when = (ms: number | null) => (ms ? new Date(ms).toLocaleString() : "never");

export function Keys({ project, canManage }: { project: string; canManage: boolean }) {
  const keys = useSignal<Key[]>([]);
  const created = useSignal<{ key: string; kind: string } | null>(null);
  const error = useSignal<string | null>(null);
  const load = () =>
    api<{ keys: Key[] }>(`/api/projects/${project}/keys`)
      .then((r) => (keys.value = r.keys))
      .catch((e) => (error.value = e.message));
  useEffect(() => void load(), [project]);
  const create = async (e: Event) => {
    e.preventDefault();
    const form = Object.fromEntries(new FormData(e.target as HTMLFormElement)) as {
      kind: "ingest" | "secret";
      name: string;
    };
    try {
      const res = await api<{ key: Key & { key: string } }>(`/api/projects/${project}/keys`, { json: form });
      created.value = { key: res.key.key, kind: res.key.kind };
      rememberKey(project, form.kind, res.key.key);
      await load();
    } catch (err) {
      error.value = err instanceof ApiError ? err.message : String(err);
    }
  };
  return (
    <section>
      <h2>API keys</h2>
      <p class="muted">
        Ingest keys only send events (safe in a browser). Secret keys also read this project's data: keep them on
        servers.
      </p>
      {created.value && (
        <div class="notice" data-testid="new-key">
          <p>Your new {created.value.kind} key. Copy it now: it won't be shown again.</p>
          <Copy value={created.value.key} label="New key" />
        </div>
      )}
      <ErrorNote error={error.value} />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Key</th>
              <th>Created</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.value.map((k) => (
              <tr key={k.id} class={k.revoked_at ? "revoked" : ""}>
                <td>{k.name || "—"}</td>
                <td>{k.kind}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>{when(k.created_at)}</td>
                <td>{when(k.last_used_at)}</td>
                <td>
                  {k.revoked_at
                    ? "revoked"
                    : canManage && (
                        <button
                          type="button"
                          class="danger"
                          onClick={async () => {
                            if (!confirm(`Revoke ${k.prefix}…? Requests using it fail at once.`)) return;
                            await api(`/api/projects/${project}/keys/${k.id}`, { method: "DELETE" });
                            await load();
                          }}
                        >
                          Revoke
                        </button>
                      )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canManage && (
        <form class="inline" onSubmit={create}>
          <label>
            Name
            <input name="name" placeholder="e.g. production" />
          </label>
          <label>
            Kind
            <select name="kind">
              <option value="ingest">ingest</option>
              <option value="secret">secret</option>
            </select>
          </label>
          <button type="submit" class="primary">
            Create key
          </button>
        </form>
      )}
    </section>
  );
}
