// API keys of a project: list (prefix only), create (full key shown once), revoke.
import { useSignal } from "@preact/signals";
import type { ApiKey, KeyKind } from "../../contract/index.ts";
import { Copy } from "../components/Copy.tsx";
import { actionsColumn, DangerButton, onFields, Panel, textColumn, useList } from "../components/ListForm.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { api } from "../lib/api.ts";
import { shortTime } from "../lib/format.ts";
import { rememberKey } from "../state/session.ts";

const when = (ms: number | null) => (ms ? shortTime(ms) : "never");

export function Keys({ project, canManage }: { project: string; canManage: boolean }) {
  const { list, action, change, remove, errors } = useList(`/api/projects/${project}/keys`);
  const created = useSignal<{ key: string; kind: string } | null>(null);
  const create = onFields((field) => {
    const form = { name: field("name"), kind: field("kind") as KeyKind };
    void change(async (init) => {
      const res = await api(`/api/projects/${project}/keys`, { method: "POST", ...init, json: form });
      created.value = { key: res.key.key, kind: res.key.kind };
      rememberKey(project, form.kind, res.key.key);
    });
  });
  const columns: Array<Column<ApiKey>> = [
    { label: "Name", title: (k) => k.name, cell: (k) => k.name || "—" },
    { label: "Kind", width: "4.8rem", priority: 2, cell: (k) => k.kind },
    { label: "Key", width: "10.5rem", title: (k) => `${k.prefix}…`, cell: (k) => <code>{k.prefix}…</code> },
    textColumn("Created", (k) => when(k.created_at), { width: "11rem", priority: 3 }),
    textColumn("Last used", (k) => when(k.last_used_at), { width: "11rem", priority: 2 }),
    actionsColumn((k) =>
      k.revoked_at
        ? "revoked"
        : canManage && (
            <DangerButton
              text="Revoke"
              onClick={() =>
                remove(`/api/projects/${project}/keys/${k.id}`, `Revoke ${k.prefix}…? Requests using it fail at once.`)
              }
            />
          ),
    ),
  ];
  return (
    <Panel
      title="API keys"
      intro="Ingest keys only send events (safe in a browser). Secret keys also read this project's data: keep them on servers."
      errors={errors}
    >
      {created.value && (
        <div class="notice" data-testid="new-key">
          <p>Your new {created.value.kind} key. Copy it now: it won't be shown again.</p>
          <Copy value={created.value.key} label="New key" />
        </div>
      )}
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
    </Panel>
  );
}
