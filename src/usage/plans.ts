// Plans as the operator defines them (the PLANS and DEFAULT_PLAN vars, docs/usage.md): an org's plan name → its limits.
import { type PlanLimits, planConfig, planLimits } from "../../contract/usage.ts";
import { log } from "../lib/log.ts";

/** An org's plan: its name (null when none applies) and its limits. */
export type Plan = PlanLimits & { name: string | null };

export const UNLIMITED: PlanLimits = planLimits.parse({});

let parsed: { raw: string; plans: Record<string, PlanLimits> } | undefined;

/** The plans of the PLANS var; an invalid value is logged and read as no plans (nothing limited). */
export function definedPlans(raw: string | undefined): Record<string, PlanLimits> {
  const text = raw?.trim() || "{}";
  if (parsed?.raw === text) return parsed.plans;
  let plans: Record<string, PlanLimits> = {};
  try {
    plans = planConfig.parse(JSON.parse(text));
  } catch (err) {
    log.error("usage.plans_invalid", err, { note: "PLANS is not valid plan JSON (docs/usage.md); nothing is limited" });
  }
  parsed = { raw: text, plans };
  return plans;
}

type PlanVars = { PLANS?: string; DEFAULT_PLAN?: string };

/** The plan an org with `name` (its `orgs.plan`) is held to: that plan, else DEFAULT_PLAN's, else unlimited. */
export function planOf(vars: PlanVars, name: string | null): Plan {
  const plans = definedPlans(vars.PLANS);
  const chosen = name ?? (vars.DEFAULT_PLAN?.trim() || null);
  if (chosen === null) return { ...UNLIMITED, name: null };
  const limits = plans[chosen];
  if (!limits) {
    log.warn("usage.plan_unknown", { plan: chosen, note: "not in PLANS; treated as unlimited" });
    return { ...UNLIMITED, name: chosen };
  }
  return { ...limits, name: chosen };
}
