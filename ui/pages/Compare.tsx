// Two traces side by side: spans aligned by their path, deltas highlighted (red = slower, dearer or newly failing).
// A model call without a price is unknown, not free: no cost delta is shown for it or for a total that includes it.
import type { ComponentChildren } from "preact";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { SideHeader } from "../components/SideHeader.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { cost, duration, tokens } from "../lib/format.ts";
import { type CompareSpan, type TraceSummary, TYPE_STYLE } from "../lib/types.ts";
import { useApi } from "../lib/use-api.ts";
import { query } from "../state/router.ts";

type Side = CompareSpan["a"];
/** A signed delta in the unit's format (only this page shows deltas, so it is here rather than in the entry). */
const delta = (n: number, fmt: (n: number) => string) => (n === 0 ? "±0" : `${n > 0 ? "+" : "−"}${fmt(Math.abs(n))}`);

type Metric = { label: string; a: ComponentChildren; b: ComponentChildren; delta: string; tone: string };

/** Worse (more time, tokens, money, errors) is red; better is green. */
const tone = (n: number) => (n > 0 ? "worse" : n < 0 ? "better" : "");
const unpricedIn = (spans: CompareSpan[], side: "a" | "b") =>
  spans.filter((s) => s.type === "model_response" && s[side] && s[side].cost_usd === null).length;

/** One side of a span; its model is named when it differs from the other side's (why a call's price or time moved). */
function sideCell(s: Side | null, other: Side | null, type: CompareSpan["type"]) {
  if (!s) return <span class="muted">—</span>;
  return (
    <>
      {s.model && other && other.model !== s.model && <span class="model">{s.model} · </span>}
      <span class="nowrap">{duration(s.duration_ms)}</span>
      {s.input_tokens !== null && (
        <span class="nowrap"> · {tokens((s.input_tokens ?? 0) + (s.output_tokens ?? 0))} tok</span>
      )}
      {type === "model_response" && <span class="nowrap"> · {cost(s.cost_usd, "no price")}</span>}
      {s.status === "error" && <span class="error nowrap"> · error</span>}
    </>
  );
}

export function Compare({ project }: { project: string }) {
  const a = query.value.get("a");
  const b = query.value.get("b");
  const answer = useApi(
    a && b ? `/api/v1/traces/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}` : null,
    { project },
  );
  if (!a || !b) return <p class="muted">Pick two traces in the trace list (checkboxes), then Compare.</p>;
  if (answer.error.value) return <ErrorNote error={answer.error} />;
  if (!answer.data.value)
    return (
      <p class="muted" aria-busy="true">
        Comparing…
      </p>
    );
  const c = answer.data.value;
  const unpriced = { a: unpricedIn(c.spans, "a"), b: unpricedIn(c.spans, "b") };
  const totalCost = (t: TraceSummary, n: number) =>
    !n ? (
      cost(t.total_cost)
    ) : (
      <>
        <span class="nowrap">{cost(t.total_cost)}</span> + {n} unpriced
      </>
    );
  const metrics: Metric[] = [
    {
      label: "Duration",
      a: duration(c.a.duration_ms),
      b: duration(c.b.duration_ms),
      delta: delta(c.delta.duration_ms, duration),
      tone: tone(c.delta.duration_ms),
    },
    {
      label: "Tokens",
      a: tokens(c.a.total_tokens),
      b: tokens(c.b.total_tokens),
      delta: delta(c.delta.total_tokens, tokens),
      tone: tone(c.delta.total_tokens),
    },
    unpriced.a || unpriced.b
      ? { label: "Cost", a: totalCost(c.a, unpriced.a), b: totalCost(c.b, unpriced.b), delta: "no price", tone: "" }
      : {
          label: "Cost",
          a: cost(c.a.total_cost),
          b: cost(c.b.total_cost),
          delta: delta(c.delta.total_cost, cost),
          tone: tone(c.delta.total_cost),
        },
    {
      label: "Spans",
      a: String(c.a.span_count),
      b: String(c.b.span_count),
      delta: delta(c.delta.span_count, String),
      tone: "",
    },
    {
      label: "Errors",
      a: String(c.a.error_count),
      b: String(c.b.error_count),
      delta: delta(c.delta.error_count, String),
      tone: tone(c.delta.error_count),
    },
  ];
  const heads = {
    a: <SideHeader letter="A" trace={c.a} project={project} />,
    b: <SideHeader letter="B" trace={c.b} project={project} />,
  };
  const totals: Array<Column<Metric>> = [
    { label: "Measure", header: <span class="sr-only">Measure</span>, width: "6rem", cell: (m) => m.label },
    { label: "A", header: heads.a, wrap: true, cell: (m) => m.a },
    { label: "B", header: heads.b, wrap: true, cell: (m) => m.b },
    { label: "B − A", width: "5.5rem", wrap: true, cell: (m) => <span class={m.tone}>{m.delta}</span> },
  ];
  const spans: Array<Column<CompareSpan>> = [
    {
      label: "Span",
      title: (s) => s.path,
      cell: (s) => (
        <span style={{ paddingLeft: `${Math.min(s.depth, 12) * 0.9}rem` }}>
          <span class={`glyph t-${s.type}`}>{TYPE_STYLE[s.type].glyph}</span> {s.name}
        </span>
      ),
    },
    // On a phone the deltas stay and the sides fold away (the totals above name A and B).
    { label: "A", header: heads.a, wrap: true, priority: 2, cell: (s) => sideCell(s.a, s.b, s.type) },
    { label: "B", header: heads.b, wrap: true, priority: 2, cell: (s) => sideCell(s.b, s.a, s.type) },
    {
      label: "Δ duration",
      width: "6.5rem",
      wrap: true,
      cell: (s) => (
        <span class={s.delta ? tone(s.delta.duration_ms) : ""}>
          {s.delta ? delta(s.delta.duration_ms, duration) : !s.a ? "only in B" : "only in A"}
        </span>
      ),
    },
    {
      label: "Δ cost",
      width: "6.5rem",
      cell: (s) =>
        s.delta?.cost_usd != null ? (
          <span class={tone(s.delta.cost_usd)}>{delta(s.delta.cost_usd, cost)}</span>
        ) : s.delta && s.type === "model_response" ? (
          "no price"
        ) : (
          ""
        ),
    },
  ];
  return (
    <section>
      <h1>Compare</h1>
      <Table class="compare-totals" testId="compare-totals" columns={totals} rows={metrics} rowKey={(m) => m.label} />
      <h2>
        Spans{" "}
        <span class="muted">
          ({c.only_in_a} only in A, {c.only_in_b} only in B)
        </span>
      </h2>
      <Table
        class="compare"
        testId="compare-spans"
        columns={spans}
        rows={c.spans}
        rowKey={(s) => s.path}
        rowProps={(s) => ({ class: !s.a ? "only-b" : !s.b ? "only-a" : s.status_changed ? "changed" : "" })}
      />
    </section>
  );
}
