// The door every way in passes before it enqueues: the plan's gateway switch, the project's request rate (a Rate
// Limiting binding) and the org's monthly event quota. Cheap on purpose: an isolate keeps each project's org, plan and
// month count for QUOTA_CACHE_SECONDS and adds what it accepts itself, so a request costs no query most of the time.
import { quotaState } from "../db/queries/usage.ts";
import type { Bindings } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { log } from "../lib/log.ts";
import { SECOND_MS } from "../lib/time.ts";
import { type Plan, planOf } from "./plans.ts";

/** Why a request is refused, and when to come back (seconds). */
export type Refusal = {
  code: "rate_limited" | "quota_exceeded" | "plan_limit";
  message: string;
  retryAfter: number | null;
  details: Record<string, unknown>;
};

/** The default binding limiting each project's ingest requests (wrangler.toml `[[ratelimits]]`). */
export const DEFAULT_RATE_LIMITER = "INGEST_RATE_LIMIT";
/** Retry-After of a rate-limited request: the binding's shorter period (it does not say which it has). */
export const RATE_LIMIT_RETRY_SECONDS = 10;

/** The calendar month (UTC) `now` falls in: [start, end). */
export function monthOf(now: number) {
  const d = new Date(now);
  return {
    start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1),
    end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1),
  };
}

type Cached = { orgId: string; plan: Plan; at: number };
const MAX_CACHED = 10_000;
const projectsSeen = new Map<string, Cached>();
/** Per org: the month's events as this isolate last knew them (the larger of the stored count and its own). */
const orgCounts = new Map<string, { month: number; used: number }>();

async function stateOf(env: Bindings, projectId: string, now: number): Promise<Cached | null> {
  const ttl = Number(env.QUOTA_CACHE_SECONDS || 30) * SECOND_MS;
  const seen = projectsSeen.get(projectId);
  if (seen && now - seen.at < ttl) return seen;
  const month = monthOf(now).start;
  const row = await quotaState(env.DB, projectId, month);
  if (!row) return null;
  const state = { orgId: row.org_id, plan: planOf(env, row.plan), at: now };
  // Bounded: an isolate of a large instance sees many projects; forgetting them costs one query each.
  if (projectsSeen.size >= MAX_CACHED) projectsSeen.clear();
  if (orgCounts.size >= MAX_CACHED) orgCounts.clear();
  projectsSeen.set(projectId, state);
  const count = orgCounts.get(row.org_id);
  orgCounts.set(row.org_id, { month, used: count?.month === month ? Math.max(count.used, row.used) : row.used });
  return state;
}

const missingLimiters = new Set<string>();

/**
 * The plan's `[[ratelimits]]` binding. One that wrangler.toml doesn't declare is logged (once per isolate) and the
 * default one limits instead: a typo in PLANS must not leave a plan without a rate limit, silently.
 */
function rateLimiterOf(env: Bindings, plan: Plan): RateLimit | undefined {
  const limiter = (name: string) => {
    const binding = (env as unknown as Record<string, RateLimit | undefined>)[name];
    return typeof binding?.limit === "function" ? binding : undefined;
  };
  const named = plan.rate_limiter ?? DEFAULT_RATE_LIMITER;
  const found = limiter(named);
  if (found || named === DEFAULT_RATE_LIMITER) return found;
  if (!missingLimiters.has(named)) {
    missingLimiters.add(named);
    log.warn("usage.rate_limiter_missing", { plan: plan.name, binding: named, instead: DEFAULT_RATE_LIMITER });
  }
  return limiter(DEFAULT_RATE_LIMITER);
}

/** Seconds a quota_exceeded answer asks the client to wait: QUOTA_RETRY_AFTER_SECONDS, else until next month. */
function quotaRetryAfter(env: Bindings, now: number) {
  const configured = Number(env.QUOTA_RETRY_AFTER_SECONDS);
  if (env.QUOTA_RETRY_AFTER_SECONDS && configured > 0) return Math.ceil(configured);
  return Math.max(1, Math.ceil((monthOf(now).end - now) / SECOND_MS));
}

/**
 * Admits `events` events of a project through a way in, or says why not. The month's quota is reached once the org's
 * count is at its limit: the request that reaches or crosses it is taken whole (so a quota is exceeded by at most one
 * request), every later one refused until the month ends or the plan changes.
 */
export async function admitIngest(
  env: Bindings,
  projectId: string,
  events: number,
  way: { gateway?: boolean } = {},
): Promise<Refusal | null> {
  const now = Date.now();
  const state = await stateOf(env, projectId, now);
  if (!state) return null;
  const { plan, orgId } = state;
  if (way.gateway && !plan.gateway) {
    return {
      code: "plan_limit",
      message: `The gateway is not part of the ${plan.name} plan.`,
      retryAfter: null,
      details: { plan: plan.name },
    };
  }
  const limiter = rateLimiterOf(env, plan);
  if (limiter && !(await limiter.limit({ key: projectId })).success) {
    return {
      code: "rate_limited",
      message: "This project sends more requests than its rate allows; retry after the time given.",
      retryAfter: RATE_LIMIT_RETRY_SECONDS,
      details: { retry_after_seconds: RATE_LIMIT_RETRY_SECONDS },
    };
  }
  const month = monthOf(now).start;
  const count = orgCounts.get(orgId);
  const used = count?.month === month ? count.used : 0;
  const limit = plan.events_per_month;
  if (limit !== null && used >= limit) {
    const retryAfter = quotaRetryAfter(env, now);
    return {
      code: "quota_exceeded",
      message: `The org has used its ${limit} events of this month (plan ${plan.name}); events are refused until the month ends or the plan changes.`,
      retryAfter,
      details: { plan: plan.name, limit, used, retry_after_seconds: retryAfter },
    };
  }
  orgCounts.set(orgId, { month, used: used + events });
  return null;
}

/** The refusal as the API's error (the app's error handler sets Retry-After from its details). */
export const refusalError = (r: Refusal) => new ApiError(r.code, r.message, r.details);

/** Admits the events or throws the refusal as an ApiError. */
export async function guardIngest(env: Bindings, projectId: string, events: number) {
  const refusal = await admitIngest(env, projectId, events);
  if (refusal) throw refusalError(refusal);
}
