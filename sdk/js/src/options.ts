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

/** An option, else WATCHLLM_<NAME> from the process's environment where there is one (Node, Bun, Deno with access). */
export function orEnv<K extends "environment" | "release">(
  options: { [k in K]?: string },
  name: K,
): string | undefined {
  try {
    return (
      options[name] ??
      ((globalThis as { process?: { env: Record<string, string> } }).process?.env[`WATCHLLM_${name.toUpperCase()}`] ||
        undefined)
    );
  } catch {
    return undefined; // Deno without --allow-env throws
  }
}
