// `npm run gen:contract`: writes what is derived from the contract outside the Worker — the SDK's wire types
// (sdk/js/src/contract.gen.ts: the SDK ships alone, with no zod), the provider module for both SDKs (a copy for
// TypeScript, its tables for Python) and the event field table in docs/api.md. `--check` fails when a written file is
// stale instead (test/repo/generated.test.ts runs it).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { ERROR_STATUS, errorBody } from "../contract/errors.ts";
import { ingestAnswer, rejection, usage, wireEvent } from "../contract/event.ts";
import { MODEL_PREFIXES, PROVIDER_ALIASES, PROVIDER_HOSTS, USAGE_FIELDS } from "../contract/providers.ts";
import { scoreIngestAnswer, wireScore } from "../contract/scores.ts";

type Schema = {
  type?: string | string[];
  anyOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  description?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
};

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Schema;

/** A TypeScript type for a JSON schema (the subset zod emits for the contract). */
function tsType(s: Schema, indent = ""): string {
  if (Array.isArray(s.type)) return s.type.map((type) => tsType({ ...s, type }, indent)).join(" | ");
  if (s.anyOf) return [...new Set(s.anyOf.map((x) => tsType(x, indent)))].join(" | ");
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.type === "string") return "string";
  if (s.type === "number" || s.type === "integer") return "number";
  if (s.type === "boolean") return "boolean";
  if (s.type === "null") return "null";
  if (s.type === "array") return `Array<${tsType(s.items ?? {}, indent)}>`;
  if (s.type === "object") {
    if (!s.properties) return "Record<string, unknown>";
    const inner = `${indent}  `;
    const lines = Object.entries(s.properties).map(([key, prop]) => {
      const doc = prop.description ? `${inner}/** ${prop.description} */\n` : "";
      return `${doc}${inner}${key}${s.required?.includes(key) ? "" : "?"}: ${tsType(prop, inner)};`;
    });
    if (s.additionalProperties && typeof s.additionalProperties === "object")
      lines.push(`${inner}[key: string]: unknown;`);
    return `{\n${lines.join("\n")}\n${indent}}`;
  }
  return "unknown";
}

function sdkTypes() {
  const alias = (name: string, doc: string, schema: z.ZodType) =>
    `/** ${doc} */\nexport type ${name} = ${tsType(json(schema))};\n`;
  return [
    "// Generated from contract/ by `npm run gen:contract`; do not edit. The wire format of POST /api/v1/events and its answers.",
    "",
    alias("WireEvent", "An event as sent to `POST /api/v1/events`.", wireEvent),
    alias("Usage", "Tokens of a model call (cached tokens counted inside `input_tokens`).", usage),
    `/** What an event is. */\nexport type EventType = WireEvent["type"];\n`,
    alias("Rejection", "An event the server did not take, and why.", rejection),
    alias("IngestAnswer", "The 202 answer: how many events were queued, and why the others were not.", ingestAnswer),
    alias("WireScore", "A score as sent to `POST /api/v1/scores`.", wireScore),
    alias("ScoreIngestAnswer", "The 202 answer of `POST /api/v1/scores`.", scoreIngestAnswer),
    alias("ErrorBody", `Every error answer (codes: ${Object.keys(ERROR_STATUS).join(", ")}).`, errorBody),
  ].join("\n");
}

/** A short human description of a field's type, for the event table in docs/api.md. */
function summary(s: Schema): string {
  if (Array.isArray(s.type)) return s.type.map((type) => summary({ ...s, type })).join(" or ");
  if (s.anyOf) {
    const parts = s.anyOf.filter((x) => x.type !== "null").map(summary);
    const nullable = s.anyOf.some((x) => x.type === "null");
    return `${parts.join(" or ")}${nullable ? " or null" : ""}`;
  }
  if (s.enum) return s.enum.map((v) => `\`${v}\``).join(" \\| ");
  if (s.type === "string") {
    if (s.format === "date-time") return "ISO-8601 string";
    if (s.minLength !== undefined && s.maxLength !== undefined) return `string, ${s.minLength}–${s.maxLength}`;
    return s.maxLength !== undefined ? `string ≤ ${s.maxLength}` : "string";
  }
  if (s.type === "number" || s.type === "integer") {
    if (s.minimum !== undefined && s.minimum > 0) return "number (epoch ms)";
    return s.minimum === 0 ? "number ≥ 0" : "number";
  }
  if (s.type === "object" && s.properties && !s.additionalProperties) {
    const keys = Object.keys(s.properties).map((k) => (s.required?.includes(k) ? k : `${k}?`));
    return `\`{ ${keys.join(", ")} }\``;
  }
  return s.type === "object" ? "JSON object" : (s.type ?? "any");
}

function eventsTable() {
  const schema = json(wireEvent);
  const rows = Object.entries(schema.properties ?? {}).map(
    ([key, prop]) =>
      `| \`${key}\` | ${summary(prop)} | ${schema.required?.includes(key) ? "yes" : ""} | ${prop.description ?? ""} |`,
  );
  return ["| field | type | required | notes |", "|---|---|---|---|", ...rows].join("\n");
}

const START = "<!-- generated:events-table (npm run gen:contract) -->";
const END = "<!-- /generated:events-table -->";

function withTable(readme: string) {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < 0) throw new Error(`docs/api.md needs the markers ${START} … ${END}`);
  return `${readme.slice(0, from + START.length)}\n${eventsTable()}\n${readme.slice(to)}`;
}

/** The provider module as the TypeScript SDK ships it (the SDK has no imports outside its own folder). */
function sdkProviders() {
  const source = readFileSync("contract/providers.ts", "utf8");
  return `// Generated from contract/providers.ts by \`npm run gen:contract\`; do not edit.\n${source}`;
}

const py = (v: unknown): string =>
  Array.isArray(v) ? `(${v.map(py).join(", ")}${v.length === 1 ? "," : ""})` : JSON.stringify(v);

/** The provider module's tables for the Python SDK (its _providers.py and _usage.py read them). */
function pythonProviderTable() {
  const lines = (rows: readonly unknown[]) => rows.map((r) => `    ${py(r)},`).join("\n");
  const dict = (o: Record<string, unknown>) =>
    Object.entries(o)
      .map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)},`)
      .join("\n");
  return [
    '"""Generated from contract/providers.ts by `npm run gen:contract`; do not edit. Provider ids, hosts, model-name',
    'prefixes and usage field names, the same tables the Worker and the TypeScript SDK use."""',
    "",
    "from typing import Dict, Tuple",
    "",
    `PROVIDER_HOSTS: Tuple[Tuple[str, str], ...] = (\n${lines(PROVIDER_HOSTS)}\n)`,
    `MODEL_PREFIXES: Tuple[Tuple[Tuple[str, ...], str], ...] = (\n${lines(MODEL_PREFIXES)}\n)`,
    `PROVIDER_ALIASES: Dict[str, str] = {\n${dict(PROVIDER_ALIASES)}\n}`,
    `USAGE_FIELDS: Dict[str, Dict[str, str]] = {\n${dict(USAGE_FIELDS)}\n}`,
    "",
  ].join("\n");
}

export function generated(): Array<[path: string, content: string]> {
  return [
    ["sdk/js/src/contract.gen.ts", sdkTypes()],
    ["sdk/js/src/providers.gen.ts", sdkProviders()],
    ["sdk/python/src/watchllm/_provider_table.py", pythonProviderTable()],
    ["docs/api.md", withTable(readFileSync("docs/api.md", "utf8"))],
  ];
}

if (import.meta.main) {
  const check = process.argv.includes("--check");
  const stale = generated().filter(([path, content]) => !existsSync(path) || readFileSync(path, "utf8") !== content);
  if (check) {
    for (const [path] of stale) console.error(`${path} is stale: run npm run gen:contract`);
    process.exit(stale.length ? 1 : 0);
  }
  for (const [path, content] of generated()) writeFileSync(path, content);
  console.log(`wrote ${generated().length} files`);
}
