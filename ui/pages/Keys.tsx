// API keys of a project: list (prefix only), create (full key shown once), revoke.
import { useSignal } from "@preact/signals";
import type { ApiKey, KeyKind } from "../../contract/index.ts";
import { Copy } from "../components/Copy.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { api } from "../lib/api.ts";
import { shortTime } from "../lib/format.ts";
import { useAction, useApi } from "../lib/use-api.ts";
import { rememberKey } from "../state/session.ts";

const when = (ms: number | null) => (ms ? shortTime(ms) : "never");

export function Keys({ project, canManage }: { project: string; canManage: boolean }) {
  const list = useApi(`/api/projects/${project}/keys`);
  const created = useSignal<{ key: string; kind: string } | null>(null);
  const action = useAction();
  const create = (e: Event) => {
    e.preventDefault();
    const form = Object.fromEntries(new FormData(e.target as HTMLFormElement)) as { kind: KeyKind; name: string };
    void action.run(async (init) => {
      const res = await api(`/api/projects/${project}/keys`, { method: "POST", ...init, json: form });
      created.value = { key: res.key.key, kind: res.key.kind };
      rememberKey(project, form.kind, res.key.key);
      list.reload();
    });
  };
  const revoke = (k: ApiKey) =>
    action.run(async (init) => {
      if (!confirm(`Revoke ${k.prefix}…? Requests using it fail at once.`)) return;
      await api(`/api/projects/${project}/keys/${k.id}`, { ...init, method: "DELETE" });
      list.reload();
    });
  const columns: Array<Column<ApiKey>> = [
    { label: "Name", title: (k) => k.name, cell: (k) => k.name || "—" },
    { label: "Kind", width: "4.8rem", priority: 2, cell: (k) => k.kind },
    { label: "Key", width: "10.5rem", title: (k) => `${k.prefix}…`, cell: (k) => <code>{k.prefix}…</code> },
    {
      label: "Created",
      width: "11rem",
      priority: 3,
      title: (k) => when(k.created_at),
      cell: (k) => when(k.created_at),
    },
    {
      label: "Last used",
      width: "11rem",
      priority: 2,
      title: (k) => when(k.last_used_at),
      cell: (k) => when(k.last_used_at),
    },
    {
      label: "Actions",
      header: <span class="sr-only">Actions</span>,
      width: "7rem",
      class: "actions",
      cell: (k) =>
        k.revoked_at
          ? "revoked"
          : canManage && (
              <button type="button" class="danger" onClick={() => revoke(k)}>
                Revoke
              </button>
            ),
    },
  ];
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
      <ErrorNote error={list.error} />
      <ErrorNote error={action.error} />
      <Table
        columns={columns}
        rows={list.data.value?.keys ?? []}
        rowKey={(k) => k.id}
        rowProps={(k) => ({ class: k.revoked_at ? "revoked" : "" })}
      />
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
          <button type="submit" class="primary" disabled={action.busy.value}>
            Create key
          </button>
        </form>
      )}
    </section>
  );
}
