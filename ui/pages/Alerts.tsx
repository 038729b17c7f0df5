// The Alerts page: every rule with its state and recent values against its threshold; a rule's page with its firing
// groups, channels (a disabled one says why), history and test button; the create and edit form.
import { signal, useSignal } from "@preact/signals";
import type { Alert, AlertHistoryEntry } from "../../contract/alerts.ts";
import { AlertForm } from "../components/AlertForm.tsx";
import { Copy } from "../components/Copy.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { Link } from "../components/Link.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { ThresholdChart } from "../components/ThresholdChart.tsx";
import { metricValue, ruleText, stateText } from "../lib/alerts.ts";
import { api } from "../lib/api.ts";
import { shortTime } from "../lib/format.ts";
import { useAction, useApi } from "../lib/use-api.ts";
import { navigate } from "../state/router.ts";

const POLL_MS = 30_000;
/** A new rule's signing secret, shown once on the rule's page (which the form navigates to). */
const freshSecret = signal<{ id: string; secret: string } | null>(null);

/** The rule's state; `short` (the list) says "firing 11:52" instead of "firing since 11:52". */
function StateBadge({ alert, short = false }: { alert: Alert; short?: boolean }) {
  const state = alert.enabled ? alert.state : "disabled";
  const text = stateText(alert);
  return <span class={`state-badge ${state}`}>{short ? text.replace(/ since | /, " ") : text}</span>;
}

export function AlertList({ project, canManage }: { project: string; canManage: boolean }) {
  const list = useApi(`/api/projects/${project}/alerts`, { pollMs: POLL_MS });
  const columns: Array<Column<Alert>> = [
    {
      label: "Alert",
      title: (a) => `${a.name}: ${ruleText(a)}`,
      cell: (a) => (
        <Link href={`/p/${project}/alerts/${a.id}`}>
          {a.name}
          <span class="muted rule-text"> · {ruleText(a)}</span>
        </Link>
      ),
    },
    { label: "State", width: "10.5rem", title: stateText, cell: (a) => <StateBadge alert={a} short /> },
    {
      label: "Last hour",
      width: "9rem",
      priority: 2,
      cell: (a) => (
        <ThresholdChart points={a.recent} threshold={a.threshold} op={a.op} label={`${a.name}: the last hour`} />
      ),
    },
    { label: "Channels", width: "6.5rem", priority: 3, numeric: true, cell: (a) => a.channels.length },
  ];
  return (
    <section class="alerts">
      <div class="section-head">
        <h2>Alerts</h2>
        {canManage && (
          <button type="button" class="primary" onClick={() => navigate(`/p/${project}/alerts/new`)}>
            New alert
          </button>
        )}
      </div>
      <p class="muted">
        Rules are evaluated every minute; a firing or resolved rule notifies its channels once per change.
      </p>
      <ErrorNote error={list.error} />
      {list.data.value && !list.data.value.alerts.length ? (
        <p class="empty">No alerts yet.{canManage ? " Create one to hear about spend, errors or latency." : ""}</p>
      ) : (
        <Table testId="alerts" columns={columns} rows={list.data.value?.alerts ?? []} rowKey={(a) => a.id} />
      )}
    </section>
  );
}

function historyColumns(alert: Alert): Array<Column<AlertHistoryEntry>> {
  const what = (e: AlertHistoryEntry) =>
    e.kind === "transition"
      ? `${e.from} → ${e.to} at ${metricValue(alert.metric, e.value)} (${e.count} events)`
      : `${e.reason === "test" ? "test notification" : `${e.reason === "renotify" ? "reminder" : "notified"}: ${e.state}`} via ${e.channel_type}`;
  const outcome = (e: AlertHistoryEntry) =>
    e.kind === "transition"
      ? ""
      : `${e.status}${e.attempts.length ? `: ${e.attempts.map((a) => a.status ?? a.error ?? "?").join(", ")}` : ""}`;
  return [
    { label: "When", width: "8.5rem", title: (e) => new Date(e.at).toISOString(), cell: (e) => shortTime(e.at) },
    { label: "What", title: what, cell: what },
    {
      label: "Group",
      width: "9rem",
      priority: 3,
      title: (e) => (e.group ? Object.values(e.group).join(", ") : ""),
      cell: (e) => (e.group ? Object.values(e.group).join(", ") : "—"),
    },
    { label: "Delivery", width: "11rem", priority: 2, title: outcome, cell: outcome },
  ];
}

export function AlertDetail({ project, id, canManage }: { project: string; id: string; canManage: boolean }) {
  const editing = useSignal(id === "new");
  const read = useApi(id === "new" ? null : `/api/projects/${project}/alerts/${id}`, {
    pollMs: POLL_MS,
  });
  const history = useApi(id === "new" ? null : `/api/projects/${project}/alerts/${id}/history`, { pollMs: POLL_MS });
  const action = useAction();
  const tested = useSignal(false);
  const alert = read.data.value?.alert;
  if (id === "new" || (editing.value && alert)) {
    return (
      <AlertForm
        project={project}
        alert={alert}
        onCancel={() => {
          if (alert) editing.value = false;
          else navigate(`/p/${project}/alerts`);
        }}
        onSaved={(saved, signing) => {
          editing.value = false;
          if (signing) freshSecret.value = { id: saved.id, secret: signing };
          if (alert) read.reload();
          else navigate(`/p/${project}/alerts/${saved.id}`);
        }}
      />
    );
  }
  const test = () =>
    action.run(async (init) => {
      await api(`/api/projects/${project}/alerts/${id}/test`, { ...init, method: "POST" });
      tested.value = true;
      setTimeout(history.reload, 1500);
    });
  const remove = () =>
    action.run(async (init) => {
      if (!confirm(`Delete the alert “${alert?.name}”?`)) return;
      await api(`/api/projects/${project}/alerts/${id}`, { ...init, method: "DELETE" });
      navigate(`/p/${project}/alerts`);
    });
  return (
    <section class="alerts">
      <p>
        <Link href={`/p/${project}/alerts`}>← Alerts</Link>
      </p>
      <ErrorNote error={read.error} />
      {alert && (
        <>
          <div class="section-head">
            <h2>{alert.name}</h2>
            <StateBadge alert={alert} />
            {canManage && (
              <div class="head-actions">
                <button type="button" onClick={test} disabled={action.busy.value || !alert.channels.length}>
                  Send test
                </button>
                <button type="button" onClick={() => (editing.value = true)}>
                  Edit
                </button>
                <button type="button" class="danger" onClick={remove}>
                  Delete
                </button>
              </div>
            )}
          </div>
          {freshSecret.value?.id === alert.id && (
            <div class="notice" data-testid="signing-secret">
              <p>Webhook signing secret: copy it now, it won't be shown again (docs/alerts.md says how to verify).</p>
              <Copy value={freshSecret.value.secret} label="Signing secret" />
            </div>
          )}
          {tested.value && <p class="muted">Test notification queued: its delivery shows in the history.</p>}
          <ErrorNote error={action.error} />
          {alert.last_error && <p class="error">Last evaluation failed: {alert.last_error}</p>}
          <p class="muted">{ruleText(alert)}</p>
          <div class="card chart-card">
            <ThresholdChart
              tall
              points={alert.recent}
              threshold={alert.threshold}
              op={alert.op}
              label="The last hour's values against the threshold"
            />
          </div>
          {alert.firing.length > 0 && (
            <ul class="firing">
              {alert.firing.map((f) => (
                <li key={JSON.stringify(f.group)}>
                  {f.group ? Object.entries(f.group).map(([k, v]) => `${k} ${v}`) : "Project"}:{" "}
                  {metricValue(alert.metric, f.value)} since {shortTime(f.since)}
                </li>
              ))}
            </ul>
          )}
          <h3>Channels</h3>
          <ul class="channel-list">
            {alert.channels.map((c) => (
              <li key={c.id} class={c.disabled_at ? "disabled" : ""}>
                <strong>{c.type}</strong> <span class="target">{c.type === "email" ? c.to : c.url}</span>
                {c.disabled_at ? (
                  <span class="error"> · disabled: {c.disabled_reason}</span>
                ) : c.failing_since ? (
                  <span class="error"> · failing since {shortTime(c.failing_since)}</span>
                ) : null}
              </li>
            ))}
            {!alert.channels.length && <li class="muted">No channels: the alert only shows here.</li>}
          </ul>
          <h3>History</h3>
          <ErrorNote error={history.error} />
          <Table
            testId="alert-history"
            columns={historyColumns(alert)}
            rows={history.data.value?.history ?? []}
            rowKey={(e) => e.id}
          />
          {history.data.value?.history.length === 0 && (
            <p class="muted">
              Nothing yet: changes of state and every notification sent (or tried) are listed here, newest first.
            </p>
          )}
        </>
      )}
    </section>
  );
}
