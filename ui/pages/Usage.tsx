// The org's usage this month (owners and admins): the plan and its quota, stored events and bytes, the daily trend,
// and the split by project and by way in.
import type { UsageReport } from "../../contract/usage.ts";
import { Panel } from "../components/ListForm.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { bytes, DAY_MS, grouped, isoDay } from "../lib/format.ts";
import { useApi } from "../lib/use-api.ts";
import type { Org } from "../state/session.ts";

const limitText = (n: number | null, unit: string) => (n === null ? `unlimited ${unit}` : `${grouped(n)} ${unit}`);
const WAY_IN: Record<string, string> = {
  sdk: "Events API / SDKs",
  otlp: "OpenTelemetry",
  langfuse: "Langfuse",
  gateway: "Gateway",
};

type Sums = UsageReport["totals"];
/** The month's sums: their name in the figures and in the tables' columns, and how each reads. */
const SUMS: Array<[string, string, (r: Sums) => string, string, 1 | 2 | 3]> = [
  ["Events", "Events", (r) => grouped(r.events), "7rem", 1],
  ["Stored in D1", "D1", (r) => bytes(r.d1_bytes), "6rem", 2],
  ["Bodies in R2", "R2", (r) => bytes(r.r2_bytes), "6rem", 2],
  ["Gateway calls", "Gateway calls", (r) => grouped(r.gateway_calls), "8rem", 3],
  ["Scores", "Scores", (r) => grouped(r.scores), "6rem", 3],
];
const sumColumns = SUMS.map(
  ([, label, cell, width, priority]): Column<Sums> => ({ label, cell, numeric: true, width, priority }),
);

/** The month's quota warnings: when each threshold was reached and whether the alert channels were told. */
function Warnings({ month }: { month: UsageReport["month"] }) {
  if (!month.warnings.length) return null;
  return (
    <ul class="usage-warnings muted" data-testid="usage-warnings">
      {month.warnings.map((w) => (
        <li key={w.threshold}>
          {w.threshold}% reached {isoDay(w.reached_at)}:{" "}
          {w.notified_at === null
            ? "notifying the alert channels"
            : w.deliveries
              ? `${w.deliveries} alert channel${w.deliveries === 1 ? "" : "s"} notified`
              : "no alert channel to notify (add one to an alert rule of a project)"}
        </li>
      ))}
    </ul>
  );
}

/** The month's quota as a bar: how much is used, and whether it is near (80%) or over. */
export function QuotaMeter({ month }: { month: UsageReport["month"] }) {
  const share = month.limit ? Math.min(1, month.events / month.limit) : 0;
  return (
    <div class={`meter ${month.state}`} data-testid="quota-meter">
      {/* Decorative: the sentence below says the same in words. No quota, no bar (an empty one read as 0% used). */}
      {month.limit !== null && (
        <div class="meter-bar" aria-hidden="true">
          <div class="meter-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
        </div>
      )}
      <p>
        <strong>{grouped(month.events)}</strong>
        {month.limit === null ? " events this month (no quota)" : ` of ${grouped(month.limit)} events this month`}
        {month.limit !== null && ` (${Math.round((month.events / Math.max(1, month.limit)) * 100)}%)`}
        <span class="muted"> · resets {isoDay(month.end)}</span>
      </p>
    </div>
  );
}

/** Events per day of the month so far, as bars (days without usage are empty). */
function Trend({ report }: { report: UsageReport }) {
  const days = Math.max(1, Math.round((Math.min(report.to, report.month.end) - report.from) / DAY_MS));
  const byDay = new Map(report.days.map((d) => [d.day, d.events]));
  const max = Math.max(1, ...report.days.map((d) => d.events));
  const width = 100 / days;
  return (
    <figure class="usage-trend" data-testid="usage-trend">
      <svg
        viewBox="0 0 100 40"
        preserveAspectRatio="none"
        role="img"
        aria-label={`Events per day, at most ${grouped(max)}`}
      >
        {Array.from({ length: days }, (_, i) => {
          const events = byDay.get(report.from + i * DAY_MS) ?? 0;
          const h = (events / max) * 38;
          return (
            <rect key={i} x={i * width + width * 0.1} y={40 - h} width={width * 0.8} height={h}>
              <title>{`${isoDay(report.from + i * DAY_MS)}: ${grouped(events)} events`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption class="muted">
        Events per day since {isoDay(report.from)}; the highest day had {grouped(max)}.
      </figcaption>
    </figure>
  );
}

export function Usage({ org }: { org: Org }) {
  const read = useApi(`/api/orgs/${org.id}/usage`);
  const r = read.data.value;
  return (
    <Panel class="usage" data-testid="usage" title={`Usage of ${org.name}`} errors={[read.error]}>
      {r && (
        <>
          <p data-testid="plan">
            Plan <strong>{r.plan.name ?? "unlimited"}</strong>: {limitText(r.plan.events_per_month, "events a month")},{" "}
            {r.plan.retention_days === null ? "any retention" : `traces kept up to ${r.plan.retention_days} days`},{" "}
            {limitText(r.plan.members, "members")}, gateway {r.plan.gateway ? "included" : "not included"}.
          </p>
          <QuotaMeter month={r.month} />
          <Warnings month={r.month} />
          <dl class="usage-figures">
            {SUMS.map(([label, , value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{value(r.totals)}</dd>
              </div>
            ))}
          </dl>
          <Trend report={r} />
          <h3>By project</h3>
          <Table
            testId="usage-projects"
            rows={r.by_project}
            rowKey={(p) => p.project_id}
            columns={[
              { label: "Project", cell: (p) => p.name ?? "(deleted project)", title: (p) => p.name },
              ...sumColumns,
            ]}
          />
          <h3>By way in</h3>
          <Table
            testId="usage-sources"
            rows={r.by_source}
            rowKey={(s) => s.source}
            columns={[{ label: "Way in", cell: (s) => WAY_IN[s.source] ?? s.source }, ...sumColumns]}
          />
        </>
      )}
    </Panel>
  );
}
