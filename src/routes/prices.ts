// /api/v1/prices: a project's price overrides (custom or fine-tuned models, negotiated prices), which price a model
// resolves to, and recomputing past costs with the current prices.
import { Hono } from "hono";
import { type Price, priceBody, priceLookupParams, recomputeBody } from "../../contract/costs.ts";
import { projectAccess, projectD1 } from "../auth/middleware.ts";
import { resolveRates } from "../costs/enrich.ts";
import { recomputeCursor, recomputeStep } from "../costs/recompute.ts";
import { overrideRule } from "../costs/schemas.ts";
import { builtinPrices, projectOverrides } from "../costs/table.ts";
import { controlDb } from "../db/client.ts";
import type { prices } from "../db/schema.ts";
import { priceDelete, priceInsert, priceUpdate, projectPrices } from "../db/writes/prices.ts";
import type { AppEnv } from "../env.ts";
import { answer } from "../lib/answer.ts";
import { decodeCursor, encodeCursor } from "../lib/cursor.ts";
import { ApiError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { valid } from "../lib/validate.ts";

type PriceRow = typeof prices.$inferSelect;

const priceView = (p: PriceRow): Price => ({
  id: p.id,
  model: p.model,
  provider: p.provider,
  match: JSON.parse(p.match) as Price["match"],
  effective_from: p.effectiveFrom,
  rates: JSON.parse(p.rates) as Price["rates"],
  created_at: p.createdAt,
  updated_at: p.updatedAt,
});

// The contract's shapes, with the check only the server makes: every regex of a rule compiles in RE2.
const newPrice = priceBody.extend({ match: overrideRule.optional() });
const pricePatch = newPrice.partial().refine((p) => Object.keys(p).length > 0, "nothing to change");

export const pricesRoute = new Hono<AppEnv>()
  .get("/", projectAccess("viewer", "read prices"), valid("query", priceLookupParams), async (c) => {
    const db = controlDb(c.env.DB);
    const { projectId } = c.var.project;
    const rows = await projectPrices(db, projectId);
    const { model, provider } = c.req.valid("query");
    if (!model) return answer(c, "GET /api/v1/prices", { overrides: rows.map(priceView) });
    // Which price a call of this model would get now (what the dashboard's "add a price" shows).
    const [builtin, overrides] = await Promise.all([builtinPrices(db), projectOverrides(db, [projectId])]);
    const found = resolveRates(model, provider ?? null, Date.now(), overrides.get(projectId) ?? [], builtin);
    const resolved = found
      ? {
          model,
          source: found.source,
          matched: { model: found.price.model, provider: found.price.provider || null, match: found.price.match },
          rates: found.rates,
        }
      : { model, source: "unknown_model" as const, matched: null, rates: null };
    return answer(c, "GET /api/v1/prices", { overrides: rows.map(priceView), resolved });
  })
  .post("/", projectAccess("member", "set prices"), valid("json", newPrice), async (c) => {
    const p = c.req.valid("json");
    const [row] = await priceInsert(controlDb(c.env.DB), {
      id: newId("price"),
      projectId: c.var.project.projectId,
      model: p.model,
      provider: p.provider ?? null,
      match: JSON.stringify(p.match ?? { equals: p.model }),
      effectiveFrom: p.effective_from ?? 0,
      rates: JSON.stringify(p.rates),
    });
    return answer(c, "POST /api/v1/prices", { price: priceView(row!) }, 201);
  })
  .patch("/:price_id", projectAccess("member", "change prices"), valid("json", pricePatch), async (c) => {
    const p = c.req.valid("json");
    const [row] = await priceUpdate(controlDb(c.env.DB), c.var.project.projectId, c.req.param("price_id"), {
      ...(p.model !== undefined && { model: p.model }),
      ...(p.provider !== undefined && { provider: p.provider ?? null }),
      ...(p.match !== undefined && { match: JSON.stringify(p.match) }),
      ...(p.effective_from !== undefined && { effectiveFrom: p.effective_from }),
      ...(p.rates !== undefined && { rates: JSON.stringify(p.rates) }),
    });
    if (!row) throw new ApiError("not_found", "No such price in this project.");
    return answer(c, "PATCH /api/v1/prices/:price_id", { price: priceView(row) });
  })
  .delete("/:price_id", projectAccess("member", "delete prices"), async (c) => {
    const [row] = await priceDelete(controlDb(c.env.DB), c.var.project.projectId, c.req.param("price_id"));
    if (!row) throw new ApiError("not_found", "No such price in this project.");
    return answer(c, "DELETE /api/v1/prices/:price_id", { price: priceView(row) });
  })
  .post("/recompute", projectAccess("member", "recompute costs"), valid("json", recomputeBody), async (c) => {
    const { from, to, cursor } = c.req.valid("json");
    const step = await recomputeStep(
      controlDb(c.env.DB),
      projectD1(c),
      c.var.project.projectId,
      { from, to },
      cursor ? decodeCursor(cursor, recomputeCursor) : undefined,
    );
    return answer(c, "POST /api/v1/prices/recompute", {
      scanned: step.scanned,
      updated: step.updated,
      next_cursor: step.next && encodeCursor(step.next),
      done: step.next === null,
    });
  });
