// Imports follow the event's path (docs/ARCHITECTURE.md): contract → lib → db → costs/auth → ingest → read side →
// routes → app. A file may import its own folder and lower layers only; peers in one layer don't import each other.
// The dashboard imports only itself and the contract (types, and the zod-free constants and limits); the SDK imports
// only itself. No import cycles anywhere.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const LAYERS: string[][] = [
  ["contract"],
  ["src/lib"],
  ["src/db"],
  ["src/env.ts"],
  ["src/costs", "src/auth", "src/scores", "src/usage"],
  ["src/ingest", "src/maintenance"],
  ["src/traces", "src/accounts", "src/otel", "src/gateway", "src/langfuse", "src/metrics", "src/shares"],
  ["src/alerts"],
  ["src/routes"],
  ["src/app.ts"],
  ["src/index.ts"],
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" || name === "dist" ? [] : files(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

type Import = { from: string; to: string; typeOnly: boolean };

/** Relative imports of a file (static, re-exports and dynamic), resolved to repo paths. */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, "utf8");
  const found: Import[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^"';]*?\s+from\s+)?["'](\.[^"']+)["']/gm)) {
    found.push({ from: file, to: normalize(join(dirname(file), m[3]!)), typeOnly: Boolean(m[2]) });
  }
  for (const m of text.matchAll(/import\(\s*["'](\.[^"']+)["']\s*\)/g)) {
    found.push({ from: file, to: normalize(join(dirname(file), m[1]!)), typeOnly: false });
  }
  return found;
}

const groupOf = (file: string) => LAYERS.flat().find((g) => file === g || file.startsWith(`${g}/`));
const layerOf = (group: string) => LAYERS.findIndex((layer) => layer.includes(group));

const all = ["contract", "src", "ui", "sdk/js/src"].flatMap(files);
const edges = all.flatMap(importsOf);

describe("layers", () => {
  it("every Worker file belongs to a layer", () => {
    expect(all.filter((f) => f.startsWith("src/") && !groupOf(f))).toEqual([]);
  });

  it("Worker imports point down the event's path, never up or across peers", () => {
    const wrong = edges.flatMap(({ from, to }) => {
      const a = groupOf(from);
      const b = groupOf(to);
      if (!a || !b || a === b) return [];
      return layerOf(b) < layerOf(a) ? [] : [`${from} → ${to}`];
    });
    expect(wrong).toEqual([]);
  });

  it("the contract imports only itself (and zod)", () => {
    const outside = edges.filter((e) => e.from.startsWith("contract/") && !e.to.startsWith("contract/"));
    expect(outside.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it("the dashboard imports only itself and the contract, and only types of schemas (no zod in its bundle)", () => {
    const wrong = edges.filter(({ from, to, typeOnly }) => {
      if (!from.startsWith("ui/")) return false;
      if (to.startsWith("ui/")) return false;
      const zodFree = to === "contract/constants.ts" || to === "contract/limits.ts";
      return !(to.startsWith("contract/") && (typeOnly || zodFree));
    });
    expect(wrong.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it("the SDK imports only itself (it ships alone, with zero dependencies)", () => {
    const wrong = edges.filter((e) => e.from.startsWith("sdk/js/") && !e.to.startsWith("sdk/js/"));
    expect(wrong.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it("has no import cycles", () => {
    const graph = new Map<string, string[]>();
    for (const { from, to } of edges) graph.set(from, [...(graph.get(from) ?? []), to]);
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (node: string) => {
      state.set(node, "open");
      stack.push(node);
      for (const next of graph.get(node) ?? []) {
        if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next].join(" → "));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(node, "done");
    };
    for (const node of graph.keys()) if (!state.has(node)) visit(node);
    expect(cycles).toEqual([]);
  });

  it("every statement lives in src/db: elsewhere no SQL is prepared, and drizzle and the tables come in as types only", () => {
    const schema = /^src\/db\/(schema|control-schema|data-schema)\.ts$/;
    const wrong = all
      .filter((f) => f.startsWith("src/") && !f.startsWith("src/db/"))
      .flatMap((file) => {
        const text = readFileSync(file, "utf8");
        return [
          ...(/\.prepare\(/.test(text) ? [`${file}: prepare(`] : []),
          ...(/^\s*import\s+(?!type\b)[^;]*?from\s+["']drizzle-orm[/"']/m.test(text) ? [`${file}: drizzle-orm`] : []),
          ...edges.filter((e) => e.from === file && !e.typeOnly && schema.test(e.to)).map((e) => `${file}: ${e.to}`),
        ];
      });
    expect(wrong).toEqual([]);
  });

  it("resolves every relative import to a file (so the checks above see real edges)", () => {
    const missing = edges.filter((e) => !all.includes(e.to) && !relative(".", e.to).startsWith(".."));
    expect(missing.filter((e) => !e.to.endsWith(".css") && !e.to.endsWith(".json")).map((e) => e.to)).toEqual([]);
  });
});
