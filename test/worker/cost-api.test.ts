// GET /api/v1/costs (every grouping, buckets, unknown models), the org-wide view, price overrides and recompute.
import { beforeAll, describe, expect, it } from "vitest";
import { encodeCursor } from "../../src/lib/cursor.ts";
import { type Browser, signUp } from "./account-fixtures.ts";
import { dataOf, deliver, read } from "./fixtures.ts";

const T0 = Date.parse("2026-11-20T00:00:00Z");
const H = 3_600_000;
type Tenant = Awaited<ReturnType<typeof signUp>>;
let owner: Tenant;
let second: { id: string; secret: string };

/** Two users, two models, three hours, one unknown model; costs sent by the client so totals are exact. */
const calls = (prefix: string) =>
  [
    { h: 0, model: "gpt-4o", user: "u1", cost: 0.1 },
    { h: 0, model: "gpt-4o", user: "u2", cost: 0.2 },
    { h: 1, model: "claude-sonnet-4-5", user: "u1", cost: 0.4 },
    { h: 25, model: "gpt-4o", user: "u2", cost: 0.8 },
    { h: 25, model: "mystery-model", user: "u2", cost: null },
  ].map((c, i) => ({
    event_id: `${prefix}${i}`,
    trace_id: `${prefix}t${i}`,
    type: "model_response",
    name: i % 2 ? "rag" : "agent",
    model: c.model,
    provider: c.model.startsWith("claude") ? "anthropic" : c.model === "mystery-model" ? "acme" : "openai",
    timestamp: T0 + c.h * H + 60_000,
    usage: { input_tokens: 100, output_tokens: 10 },
    cost_usd: c.cost,
    context: { user_id: c.user, session_id: `s-${c.user}` },
  }));

const costs = (query: string, key = owner.keys.secret) =>
  read(`/api/v1/costs?from=${T0}&to=${T0 + 48 * H}&${query}`, key);

beforeAll(async () => {
  owner = await signUp("Owner");
  await deliver(owner.project.id, calls("a"));
  const res = await owner.browser.request(`/api/orgs/${owner.org.id}/projects`, {
    method: "POST",
    json: { name: "second" },
  });
  const created = (await res.json()) as { project: { id: string }; keys: { secret: string } };
  second = { id: created.project.id, secret: created.keys.secret };
  await deliver(second.id, calls("b").slice(0, 2));
});

describe("GET /api/v1/costs", () => {
  it("totals the range and groups by model with per-day buckets", async () => {
    const { status, body } = await costs("group_by=model");
    expect(status).toBe(200);
    expect(body.interval).toBe("hour");
    expect(body.totals).toMatchObject({ calls: 5, input_tokens: 500, output_tokens: 50, unpriced_calls: 1 });
    expect(body.totals.cost).toBeCloseTo(1.5, 9);
    expect(
      body.groups.map((g: { key: string; cost: number; calls: number }) => [
        g.key,
        Math.round(g.cost * 10) / 10,
        g.calls,
      ]),
    ).toEqual([
      ["gpt-4o", 1.1, 3],
      ["claude-sonnet-4-5", 0.4, 1],
      ["mystery-model", 0, 1],
    ]);
    expect(body.unknown_models).toEqual([{ model: "mystery-model", provider: "acme", calls: 1 }]);
    const daily = await costs("group_by=model&interval=day");
    expect(
      daily.body.series
        .map((s: { bucket: number; key: string; calls: number }) => [s.bucket - T0, s.key, s.calls])
        .sort(),
    ).toEqual(
      [
        [0, "claude-sonnet-4-5", 1],
        [0, "gpt-4o", 2],
        [86_400_000, "gpt-4o", 1],
        [86_400_000, "mystery-model", 1],
      ].sort(),
    );
  });

  it("groups by provider, day, hour, user, session and trace name", async () => {
    const keyed = async (group: string) =>
      (await costs(`group_by=${group}`)).body.groups.map((g: { key: unknown; cost: number }) => [
        g.key,
        Math.round(g.cost * 10) / 10,
      ]);
    expect(await keyed("provider")).toEqual([
      ["openai", 1.1],
      ["anthropic", 0.4],
      ["acme", 0],
    ]);
    expect(await keyed("day")).toEqual([
      [T0 + 86_400_000, 0.8],
      [T0, 0.7],
    ]);
    expect((await keyed("hour")).length).toBe(3);
    expect(await keyed("user")).toEqual([
      ["u2", 1],
      ["u1", 0.5],
    ]);
    expect(await keyed("session")).toEqual([
      ["s-u2", 1],
      ["s-u1", 0.5],
    ]);
    expect(await keyed("trace_name")).toEqual([
      ["rag", 1],
      ["agent", 0.5],
    ]);
  });

  it("sums an org's projects by project for its admins only", async () => {
    const org = await owner.browser.request(
      `/api/orgs/${owner.org.id}/costs?from=${T0}&to=${T0 + 48 * H}&group_by=project`,
    );
    const body = (await org.json()) as { groups: Array<{ key: string; cost: number }>; totals: { calls: number } };
    expect(body.totals.calls).toBe(7);
    expect(body.groups.map((g) => [g.key, Math.round(g.cost * 10) / 10])).toEqual([
      [owner.project.id, 1.5],
      [second.id, 0.3],
    ]);
    // A project's own view never includes the other project.
    expect((await costs("group_by=model", second.secret)).body.totals.calls).toBe(2);
    const invite = (await (
      await owner.browser.request(`/api/orgs/${owner.org.id}/invites`, { method: "POST", json: { role: "member" } })
    ).json()) as { invite: { token: string } };
    const member = await signUp("Member");
    await member.browser.request(`/api/invites/${invite.invite.token}/accept`, { method: "POST", json: {} });
    expect((await member.browser.request(`/api/orgs/${owner.org.id}/costs`)).status).toBe(403);
  });

  it("groups the names of one model (dated snapshot, base name, override pattern) under the price they matched", async () => {
    const tenant = await signUp("Namer");
    const override = await tenant.browser.request("/api/v1/prices", {
      method: "POST",
      headers: { "X-WatchLLM-Project": tenant.project.id },
      json: { model: "acme-large", match: { starts_with: "acme-large" }, rates: { input_mtok: 1, output_mtok: 2 } },
    });
    expect(override.status).toBe(201);
    const names = [
      "gpt-4o-mini",
      "gpt-4o-mini-2024-07-18",
      "gpt-4o-mini",
      "acme-large-v1",
      "acme-large-v2",
      "zzz-unpriced",
    ];
    await deliver(
      tenant.project.id,
      names.map((model, i) => ({
        event_id: `n${i}`,
        trace_id: `nt${i}`,
        type: "model_response",
        name: "call",
        model,
        provider: model.startsWith("gpt") ? "openai" : null,
        timestamp: T0 + (i % 2) * 25 * H,
        usage: { input_tokens: 1_000_000, output_tokens: 0 },
      })),
    );
    const { body } = await costs("group_by=model&interval=day", tenant.keys.secret);
    const groups = body.groups as Array<{
      key: string;
      models: string[];
      calls: number;
      cost: number;
      unpriced_calls: number;
    }>;
    expect(groups.map((g) => [g.key, g.models, g.calls, g.unpriced_calls])).toEqual([
      ["acme-large", ["acme-large-v1", "acme-large-v2"], 2, 0],
      ["gpt-4o-mini", ["gpt-4o-mini", "gpt-4o-mini-2024-07-18"], 3, 0],
      ["zzz-unpriced", ["zzz-unpriced"], 1, 1],
    ]);
    expect(groups[0]!.cost).toBeCloseTo(2, 9);
    expect(groups[1]!.cost).toBeCloseTo(3 * 0.15, 9);
    // The chart's series uses the same keys: one point per matched name and day.
    const series = body.series as Array<{ key: string; bucket: number; calls: number }>;
    expect(series.map((s) => [s.bucket - T0, s.key, s.calls]).sort()).toEqual(
      [
        [0, "acme-large", 1],
        [0, "gpt-4o-mini", 2],
        [86_400_000, "acme-large", 1],
        [86_400_000, "gpt-4o-mini", 1],
        [86_400_000, "zzz-unpriced", 1],
      ].sort(),
    );
    // Other groupings are unchanged: by provider the raw rows still add up, without `models`.
    const byProvider = await costs("group_by=provider", tenant.keys.secret);
    expect(byProvider.body.groups.every((g: object) => !("models" in g))).toBe(true);
    expect(body.totals.calls).toBe(6);
  });

  it("answers zeros, not nulls, for a range without calls", async () => {
    const { body } = await read(`/api/v1/costs?group_by=day&from=2020-01-01&to=2020-01-10`, second.secret);
    expect(body).toMatchObject({
      totals: { cost: 0, input_tokens: 0, output_tokens: 0, cached_input_tokens: 0, calls: 0, unpriced_calls: 0 },
      groups: [],
      series: [],
      unknown_models: [],
    });
  });

  it("rejects bad ranges and groupings", async () => {
    for (const q of ["group_by=color", `from=${T0 + H}&to=${T0}`, "interval=hour&from=2020-01-01&to=2026-01-01"]) {
      const { status, body } = await read(`/api/v1/costs?${q}`, owner.keys.secret);
      expect(status, q).toBe(400);
      expect(body.error.code).toBe("invalid_request");
    }
  });
});

describe("price overrides and recompute", () => {
  let b: Browser;
  const api = (path: string, init: RequestInit & { json?: unknown } = {}) =>
    b.request(`/api/v1/prices${path}`, { ...init, headers: { "X-WatchLLM-Project": owner.project.id } });

  it("creates, lists, resolves, changes and deletes an override", async () => {
    b = owner.browser;
    const created = await api("", {
      method: "POST",
      json: {
        model: "mystery-model",
        rates: { input_mtok: 1000, output_mtok: { base: 1000, tiers: [{ start: 50, price: 2000 }] } },
      },
    });
    expect(created.status).toBe(201);
    const { price } = (await created.json()) as { price: { id: string; match: unknown } };
    expect(price.match).toEqual({ equals: "mystery-model" });
    const resolved = (await (await api("?model=mystery-model&provider=acme")).json()) as {
      overrides: unknown[];
      resolved: { source: string };
    };
    expect(resolved).toMatchObject({ overrides: [{ id: price.id }], resolved: { source: "override" } });
    const builtin = (await (await api("?model=gpt-4o")).json()) as {
      resolved: { source: string; rates: { input_mtok: number } };
    };
    expect(builtin.resolved).toMatchObject({ source: "price_table", rates: { input_mtok: 2.5 } });
    expect((await api(`/${price.id}`, { method: "PATCH", json: { effective_from: 0 } })).status).toBe(200);
    expect((await api("", { method: "POST", json: { model: "x", rates: {} } })).status).toBe(400);
    expect(
      (await api("", { method: "POST", json: { model: "x", match: { regex: "(" }, rates: { input_mtok: 1 } } })).status,
    ).toBe(400);
    // RE2 runs every pattern in linear time (nested quantifiers are safe), and refuses what it can't run.
    for (const regex of ["(\\w)\\1", "a(?=b)"]) {
      const res = await api("", { method: "POST", json: { model: "x", match: { regex }, rates: { input_mtok: 1 } } });
      expect(res.status, regex).toBe(400);
    }
    const ok = await api("", {
      method: "POST",
      json: { model: "x", match: { regex: "^gpt-4o(-mini)?-\\d{4}" }, rates: { input_mtok: 1 } },
    });
    expect(ok.status).toBe(201);
    await api(`/${((await ok.json()) as { price: { id: string } }).price.id}`, { method: "DELETE" });
    expect((await api("/price_nope", { method: "DELETE" })).status).toBe(404);
  });

  it("recomputes past costs in resumable steps, updating rollups and trace totals, idempotently", async () => {
    // 1,500 unknown-model calls in hour 30, then an override for them and a recompute over the range.
    const many = Array.from({ length: 1_500 }, (_, i) => ({
      event_id: `m${i}`,
      trace_id: `mt${i % 10}`,
      type: "model_response",
      name: "bulk",
      model: "bulk-model",
      timestamp: T0 + 30 * H + i,
      usage: { input_tokens: 1_000, output_tokens: 0 },
    }));
    await deliver(owner.project.id, many);
    const before = await costs("group_by=model");
    expect(before.body.unknown_models).toContainEqual({ model: "bulk-model", provider: "", calls: 1_500 });
    expect((await api("", { method: "POST", json: { model: "bulk-model", rates: { input_mtok: 1 } } })).status).toBe(
      201,
    );
    const steps: Array<{ scanned: number; updated: number; done: boolean }> = [];
    let cursor: string | undefined;
    do {
      const res = await api("/recompute", {
        method: "POST",
        json: { from: T0, to: T0 + 48 * H, ...(cursor && { cursor }) },
      });
      const step = (await res.json()) as {
        scanned: number;
        updated: number;
        next_cursor: string | null;
        done: boolean;
      };
      steps.push(step);
      cursor = step.next_cursor ?? undefined;
    } while (cursor);
    expect(steps.map((s) => s.done)).toEqual([false, true]);
    expect(steps.reduce((n, s) => n + s.updated, 0)).toBe(1_501); // 1,500 bulk calls + the mystery-model call re-priced by its override
    const after = await costs("group_by=model");
    const bulk = after.body.groups.find((g: { key: string }) => g.key === "bulk-model");
    expect(bulk.cost).toBeCloseTo(1_500 * 0.001, 9);
    expect(after.body.unknown_models).toEqual([]);
    const trace = await read(`/api/v1/traces/mt3`, owner.keys.secret);
    expect(trace.body.trace.total_cost).toBeCloseTo(150 * 0.001, 9);
    const rerun = (await (await api("/recompute", { method: "POST", json: { from: T0, to: T0 + 48 * H } })).json()) as {
      updated: number;
    };
    expect(rerun.updated).toBe(0);
    // A cursor an older release gave out ([time, event_id]) is still taken: the step starts again from the first event.
    const old = await api("/recompute", {
      method: "POST",
      json: { from: T0, to: T0 + 48 * H, cursor: encodeCursor([T0 + 30 * H, "m700"]) },
    });
    expect(await old.json()).toEqual(rerun);
    const fresh = await (await dataOf(owner.project.id))
      .prepare("SELECT round(total(cost_usd), 9) AS c FROM events WHERE project_id = ? AND type = 'model_response'")
      .bind(owner.project.id)
      .first<{ c: number }>();
    expect(after.body.totals.cost).toBeCloseTo(fresh!.c, 9);
  });
});
