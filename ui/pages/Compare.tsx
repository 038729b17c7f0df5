// Two traces side by side: spans aligned by their path, deltas highlighted (red = slower, dearer or newly failing).
import { ErrorNote } from "../components/ErrorNote.tsx";
import { Link } from "../components/Link.tsx";
import { cost, delta, duration, tokens } from "../lib/format.ts";
import { type CompareAnswer, type CompareSpan, type TraceSummary, TYPE_STYLE } from "../lib/types.ts";
import { useApi } from "../lib/use-api.ts";
import { query } from "../state/router.ts";

type Side = CompareSpan["a"];

/** Worse (more time, tokens, money, errors) is red; better is green. */
const tone = (n: number) => (n > 0 ? "worse" : n < 0 ? "better" : "");

export function Compare({ project }: { project: string }) {
  const a = query.value.get("a");
  const b = query.value.get("b");
  const answer = useApi<CompareAnswer>(
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
  const link = (t: TraceSummary) => (
    <Link href={`/p/${project}/traces/${encodeURIComponent(t.trace_id)}`}>{t.name}</Link>
  );
  const side = (s: Side | null) =>
    s ? (
      <>
        {duration(s.duration_ms)} · {tokens((s.input_tokens ?? 0) + (s.output_tokens ?? 0))} tok · {cost(s.cost_usd)}
        {s.status === "error" && <span class="error"> · error</span>}
      </>
    ) : (
      <span class="muted">—</span>
    );
  return (
    <section>
      <h1>Compare</h1>
      <div class="table-wrap">
        <table data-testid="compare-totals">
          <thead>
            <tr>
              <th />
              <th>A: {link(c.a)}</th>
              <th>B: {link(c.b)}</th>
              <th>B − A</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th>Duration</th>
              <td>{duration(c.a.duration_ms)}</td>
              <td>{duration(c.b.duration_ms)}</td>
              <td class={tone(c.delta.duration_ms)}>{delta(c.delta.duration_ms, duration)}</td>
            </tr>
            <tr>
              <th>Tokens</th>
              <td>{tokens(c.a.total_tokens)}</td>
              <td>{tokens(c.b.total_tokens)}</td>
              <td class={tone(c.delta.total_tokens)}>{delta(c.delta.total_tokens, tokens)}</td>
            </tr>
            <tr>
              <th>Cost</th>
              <td>{cost(c.a.total_cost)}</td>
              <td>{cost(c.b.total_cost)}</td>
              <td class={tone(c.delta.total_cost)}>{delta(c.delta.total_cost, cost)}</td>
            </tr>
            <tr>
              <th>Spans</th>
              <td>{c.a.span_count}</td>
              <td>{c.b.span_count}</td>
              <td>{delta(c.delta.span_count, String)}</td>
            </tr>
            <tr>
              <th>Errors</th>
              <td>{c.a.error_count}</td>
              <td>{c.b.error_count}</td>
              <td class={tone(c.delta.error_count)}>{delta(c.delta.error_count, String)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <h2>
        Spans{" "}
        <span class="muted">
          ({c.only_in_a} only in A, {c.only_in_b} only in B)
        </span>
      </h2>
      <div class="table-wrap">
        <table class="compare" data-testid="compare-spans">
          <thead>
            <tr>
              <th>Span</th>
              <th>A</th>
              <th>B</th>
              <th>Δ duration</th>
              <th>Δ cost</th>
            </tr>
          </thead>
          <tbody>
            {c.spans.map((s) => (
              <tr key={s.path} class={!s.a ? "only-b" : !s.b ? "only-a" : s.status_changed ? "changed" : ""}>
                <td style={{ paddingLeft: `${0.75 + s.depth * 0.9}rem` }}>
                  <span class={`glyph t-${s.type}`}>{TYPE_STYLE[s.type].glyph}</span> {s.name}
                </td>
                <td>{side(s.a)}</td>
                <td>{side(s.b)}</td>
                <td class={s.delta ? tone(s.delta.duration_ms) : ""}>
                  {s.delta ? delta(s.delta.duration_ms, duration) : !s.a ? "only in B" : "only in A"}
                </td>
                <td class={s.delta?.cost_usd != null ? tone(s.delta.cost_usd) : ""}>
                  {s.delta?.cost_usd != null
                    ? delta(s.delta.cost_usd, cost)
                    : s.delta && s.type === "model_response"
                      ? "no price"
                      : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
