import { describe, expect, it } from "vitest";
import { rng } from "../../bench/generate.ts";
import { signUp } from "./account-fixtures.ts";
import { createProject, dataOf, deliver, read } from "./fixtures.ts";

const T0 = Date.parse("2026-11-20T10:00:00Z");
const call = (id: string, extra: Record<string, unknown> = {}) => ({
  event_id: id,
  trace_id: `trace-${id}`,
  type: "model_response",
  name: "chat",
  model: "gpt-4o",
  provider: "openai",
  timestamp: T0,
  usage: { input_tokens: 1_000, output_tokens: 200, cached_input_tokens: 400 },
  ...extra,
});

async function stored(projectId: string, eventId: string) {
  return (await dataOf(projectId))
    .prepare("SELECT cost_usd, cost_source FROM events WHERE project_id = ? AND event_id = ?")
    .bind(projectId, eventId)
    .first<{ cost_usd: number | null; cost_source: string | null }>();
}

describe("cost enrichment", () => {
  it("keeps a client's cost, prices known models from the built-in table and flags unknown ones", async () => {
    const p = await createProject();
    await deliver(p.projectId, [
      call("client", { cost_usd: 0.5 }),
      call("table"), // gpt-4o: $2.50 / M input, $1.25 / M cached input, $10 / M output
      call("unknown", { model: "my-private-llm", provider: "acme" }),
      call("no-usage", { usage: null }),
      { event_id: "span", trace_id: "t", type: "span", name: "agent", timestamp: T0 },
    ]);
    expect(await stored(p.projectId, "client")).toEqual({ cost_usd: 0.5, cost_source: "client" });
    const table = await stored(p.projectId, "table");
    expect(table!.cost_source).toBe("price_table");
    expect(table!.cost_usd).toBeCloseTo((600 * 2.5 + 400 * 1.25 + 200 * 10) / 1e6, 12);
    expect(await stored(p.projectId, "unknown")).toEqual({ cost_usd: null, cost_source: "unknown_model" });
    expect(await stored(p.projectId, "no-usage")).toEqual({ cost_usd: null, cost_source: null });
    expect(await stored(p.projectId, "span")).toEqual({ cost_usd: null, cost_source: null });
    const { body } = await read(`/api/v1/traces/trace-table`, p.secretKey);
    expect(body.trace.total_cost).toBeCloseTo(table!.cost_usd!, 12);
  });

  it("prices by model name when the provider is unknown or wrong, and dated snapshots at their base model's price", async () => {
    const p = await createProject();
    const mini = { input_tokens: 1_000_000, output_tokens: 1_000_000 };
    await deliver(p.projectId, [
      // A proxy or local server: the SDK saw only a host name.
      call("local-host", { model: "gpt-4o-mini-2024-07-18", provider: "127.0.0.1", usage: mini }),
      call("no-provider", { model: "gpt-4o-mini", provider: null, usage: mini }),
      // A wrong provider: the name decides.
      call("wrong-provider", { model: "claude-3-5-haiku-latest", provider: "openai", usage: mini }),
      // Snapshots the table has no row for take their base model's price.
      call("vertex-snapshot", { model: "claude-3-5-haiku@20241022", provider: "vertex", usage: mini }),
      call("future-snapshot", { model: "gpt-4o-mini-2099-01-01", provider: "openai", usage: mini }),
      call("truly-unknown", { model: "acme-llm-2024-01-01", provider: "acme", usage: mini }),
    ]);
    const expected = async (id: string) => (await stored(p.projectId, id))!;
    // gpt-4o-mini: $0.15 / M input, $0.60 / M output.
    for (const id of ["local-host", "no-provider", "future-snapshot"]) {
      expect(await expected(id)).toEqual({ cost_usd: 0.75, cost_source: "price_table" });
    }
    // claude-3-5-haiku: $0.80 / M input, $4 / M output.
    for (const id of ["wrong-provider", "vertex-snapshot"]) {
      expect(await expected(id)).toEqual({ cost_usd: 4.8, cost_source: "price_table" });
    }
    expect(await expected("truly-unknown")).toEqual({ cost_usd: null, cost_source: "unknown_model" });
  });

  it("applies a project's override at once, from its effective date, and only to that project", async () => {
    const ada = await signUp("Ada");
    const other = await signUp("Bob");
    const post = (json: unknown) =>
      ada.browser.request("/api/v1/prices", {
        method: "POST",
        json,
        headers: { "X-WatchLLM-Project": ada.project.id },
      });
    expect((await post({ model: "gpt-4o", provider: "openai", rates: { input_mtok: 1, output_mtok: 2 } })).status).toBe(
      201,
    );
    expect(
      (
        await post({
          model: "my-private-llm",
          match: { starts_with: "my-private" },
          effective_from: "2026-11-20T11:00:00Z",
          rates: { input_mtok: 10, output_mtok: 10 },
        })
      ).status,
    ).toBe(201);
    await deliver(ada.project.id, [
      call("o1"),
      call("early", { model: "my-private-llm-v2" }),
      call("late", { model: "my-private-llm-v2", timestamp: T0 + 2 * 3_600_000 }),
    ]);
    await deliver(other.project.id, [call("o1")]);
    expect(await stored(ada.project.id, "o1")).toEqual({
      cost_usd: (1_000 * 1 + 200 * 2) / 1e6,
      cost_source: "override",
    });
    expect(await stored(ada.project.id, "early")).toEqual({ cost_usd: null, cost_source: "unknown_model" });
    expect(await stored(ada.project.id, "late")).toEqual({ cost_usd: (1_200 * 10) / 1e6, cost_source: "override" });
    expect((await stored(other.project.id, "o1"))!.cost_source).toBe("price_table");
  });
});

describe("cost rollups", () => {
  it("equal a fresh aggregation after random splits, duplicates and redeliveries", async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const rand = rng(seed);
      const p = await createProject();
      const models = [
        ["gpt-4o", "openai"],
        ["claude-sonnet-4-5", "anthropic"],
        ["mystery", "acme"],
      ] as const;
      const events = Array.from({ length: 60 }, (_, i) => {
        const [model, provider] = models[Math.floor(rand() * models.length)]!;
        return call(`s${seed}-e${i}`, {
          model,
          provider,
          timestamp: T0 + Math.floor(rand() * 5) * 3_600_000 + i,
          usage: { input_tokens: Math.floor(rand() * 5000), output_tokens: Math.floor(rand() * 500) },
          ...(rand() < 0.2 && { cost_usd: 0.01 }),
        });
      });
      const deliveries = [...events, ...events.filter(() => rand() < 0.4)].sort(() => rand() - 0.5);
      for (let i = 0; i < deliveries.length; ) {
        const size = 1 + Math.floor(rand() * 15);
        await deliver(
          p.projectId,
          deliveries.slice(i, i + size).filter((e, k, a) => a.findIndex((x) => x.event_id === e.event_id) === k),
        );
        i += size;
      }
      const fresh = await (await dataOf(p.projectId))
        .prepare(`SELECT (ts / 3600000) * 3600000 AS hour, model, provider, count(*) AS calls, sum(cost_source = 'unknown_model') AS unpriced_calls,
          sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, round(total(cost_usd), 9) AS cost
        FROM events WHERE project_id = ? AND type = 'model_response' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`)
        .bind(p.projectId)
        .all();
      const rollup = await (await dataOf(p.projectId))
        .prepare(`SELECT hour, model, provider, calls, unpriced_calls, input_tokens, output_tokens, round(cost, 9) AS cost
        FROM cost_hourly WHERE project_id = ? ORDER BY 1, 2, 3`)
        .bind(p.projectId)
        .all();
      expect(fresh.results.length).toBeGreaterThan(5);
      expect(rollup.results, `seed ${seed}`).toEqual(fresh.results);
    }
  });
});
