// Ids. A trace's id is random (crypto.randomUUID where it exists; a browser may be given it to score the trace), so it
// can't be guessed from another. An event's id only has to be unique: this process's random prefix and a counter,
// which costs a fraction of a random id on the caller's thread.

/** A random v4-shaped id, for Node 18 (no global `crypto`) and plain-http pages: each 0 or 1 a random hex digit, the
 * 8 one of 8–b. */
export const fallbackId = (): string =>
  "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
    ((c as unknown as number) ^ ((Math.random() * 16) >> ((c as unknown as number) / 4))).toString(16),
  );

const native = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;

export const traceId = (): string => native?.randomUUID?.() ?? fallbackId();

// Made on first use: Workers allow no random values at global scope.
let prefix: string | undefined;
/** 20 random hex digits (76 random bits), a dot and a base-36 counter, e.g. `3f9a0c2e7b414d8e9a1c.2s`. */
export function idOf(n: number) {
  prefix ??= `${traceId().replace(/-/g, "").slice(0, 20)}.`;
  return prefix + n.toString(36);
}
