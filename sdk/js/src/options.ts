// Small helpers of the client's options: dropping undefined fields, and reading WATCHLLM_* environment variables.

/** The object without its undefined fields (built anew: `delete` would slow every later read of it), or undefined. */
export const clean = <T extends object>(body: T): T | undefined => {
  let out: Record<string, unknown> | undefined;
  for (const k in body) {
    const v = (body as Record<string, unknown>)[k];
    if (v === undefined) continue;
    out ??= {};
    out[k] = v;
  }
  return out as T | undefined;
};

/** WATCHLLM_<name> from the process's environment, where there is one (Node, Bun, Deno with access; not browsers). */
export function envVar(name: string): string | undefined {
  try {
    return (globalThis as { process?: { env: Record<string, string> } }).process?.env[`WATCHLLM_${name}`] || undefined;
  } catch {
    return undefined; // Deno without --allow-env throws
  }
}
