// Event and trace ids: crypto.randomUUID() where it exists (Workers, browsers, Deno, Bun, Node ≥ 19), else a
// random v4-shaped id (Node 18 has no global `crypto`).
export function fallbackId(random: () => number = Math.random): string {
  return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, (c) => {
    const r = (random() * 16) | 0;
    return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
  });
}

const native = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;

export const newId: () => string = native?.randomUUID ? () => native.randomUUID!() : () => fallbackId();
