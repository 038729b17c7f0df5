// What full-text search (GET /api/v1/traces?q=) finds: event names, the text of inputs, outputs and error messages
// (the first SEARCH_LIMITS.textChars characters of each, offloaded bodies through their preview), words as the
// tokenizer cuts them, prefixes, accents and non-ASCII, in the caller's project only; deleted events are not found.
// Written before the search index changed shape (migration 0022): the same queries must find the same traces.
import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { SEARCH_LIMITS } from "../../contract/limits.ts";
import { createProject, deliver, read } from "./fixtures.ts";

const T0 = 1_764_500_000_000;
let project: Awaited<ReturnType<typeof createProject>>;
let other: Awaited<ReturnType<typeof createProject>>;

const pad = (n: number) => "lorem ".repeat(Math.ceil(n / 6)).slice(0, n);

/** A trace of a root span and `children` (each an event of the trace), the root's body `root`. */
function trace(id: string, root: Record<string, unknown>, children: Array<Record<string, unknown>> = []) {
  return [
    { event_id: `${id}-root`, trace_id: id, type: "span", name: "handler", timestamp: T0, duration_ms: 5, ...root },
    ...children.map((c, i) => ({
      event_id: `${id}-c${i}`,
      trace_id: id,
      parent_event_id: `${id}-root`,
      type: "span",
      name: "step",
      timestamp: T0 + 1 + i,
      duration_ms: 1,
      ...c,
    })),
  ];
}

const corpus = () => [
  ...trace("by-name", { name: "checkout-flamingo" }),
  ...trace("by-input", { body: { input: "please translate the word marmalade" } }),
  ...trace("by-output", {}, [
    { type: "model_response", model: "gpt-4o", body: { output: { role: "assistant", content: "quokka facts" } } },
  ]),
  ...trace("by-error", {}, [{ type: "error", status: "error", body: { message: "TimeoutError: upstream walrus" } }]),
  ...trace("accents", { body: { input: "crème brûlée recipe" } }),
  ...trace("non-ascii", { body: { input: "你好 世界" } }),
  ...trace("escaped", { body: { input: "\\u4f60\\u597d from python" } }),
  // A word near the end of the searchable prefix is found; one past it is not.
  ...trace("long", {
    body: {
      input: `${pad(SEARCH_LIMITS.textChars - 40)} narwhal ${pad(400)} unfindable`,
    },
  }),
  // Large bodies (over BODY_OFFLOAD_BYTES) go to R2: their preview is what search reads.
  ...trace("offloaded", {}, [
    { type: "model_response", body: { input: `ocelot ${pad(6_000)}`, output: `pangolin ${pad(6_000)}` } },
  ]),
  // Deep in a big trace: the 60th child of 80.
  ...trace(
    "big",
    {},
    Array.from({ length: 80 }, (_, i) => ({ body: { output: i === 60 ? "axolotl sighting" : `routine ${i}` } })),
  ),
  // Both words in one event.
  ...trace("together", { body: { input: "refund approved" } }),
];

const search = async (q: string, key = project.secretKey) => {
  const { status, body } = await read<{ traces: Array<{ trace_id: string }> }>(
    `/api/v1/traces?limit=100&q=${encodeURIComponent(q)}`,
    key,
  );
  expect(status).toBe(200);
  return body.traces.map((t) => t.trace_id).sort();
};

beforeAll(async () => {
  project = await createProject("search");
  other = await createProject("search-other");
  await deliver(project.projectId, corpus());
  await deliver(other.projectId, trace("theirs", { name: "checkout-flamingo", body: { input: "marmalade" } }));
});

describe("search finds", () => {
  it("event names", async () => {
    expect(await search("flamingo")).toEqual(["by-name"]);
    expect(await search("checkout flamingo")).toEqual(["by-name"]);
  });
  it("input, output and error text", async () => {
    expect(await search("marmalade")).toEqual(["by-input"]);
    expect(await search("quokka")).toEqual(["by-output"]);
    expect(await search("walrus")).toEqual(["by-error"]);
    expect(await search("TimeoutError")).toEqual(["by-error"]);
  });
  it("every word of a query, prefixes, any case", async () => {
    expect(await search("refund approved")).toEqual(["together"]);
    expect(await search("REFUND")).toEqual(["together"]);
    expect(await search("marma*")).toEqual(["by-input"]);
    expect(await search("refund zebra")).toEqual([]);
  });
  it("accents folded, non-ASCII words and their JSON-escaped form", async () => {
    expect(await search("creme brulee")).toEqual(["accents"]);
    expect(await search("你好")).toEqual(["escaped", "non-ascii"]);
  });
  it("the first SEARCH_LIMITS.textChars characters of a text, not what follows", async () => {
    expect(await search("narwhal")).toEqual(["long"]);
    expect(await search("unfindable")).toEqual([]);
  });
  it("offloaded bodies through their preview", async () => {
    expect(await search("ocelot")).toEqual(["offloaded"]);
    expect(await search("pangolin")).toEqual(["offloaded"]);
  });
  it("a word in any event of a big trace", async () => {
    expect(await search("axolotl")).toEqual(["big"]);
  });
  it("only in the caller's project", async () => {
    expect(await search("marmalade", other.secretKey)).toEqual(["theirs"]);
    expect(await search("quokka", other.secretKey)).toEqual([]);
  });
});

describe("search after deletion", () => {
  it("no longer finds a deleted trace, and still finds the others", async () => {
    const res = await fetchDelete(`/api/v1/traces/by-input`);
    expect(res).toBeLessThan(300);
    await expect.poll(() => search("marmalade"), { timeout: 10_000 }).toEqual([]);
    expect(await search("quokka")).toEqual(["by-output"]);
  });
});

async function fetchDelete(path: string) {
  const res = await SELF.fetch(`https://watchllm.test${path}`, {
    method: "DELETE",
    headers: { Authorization: `Bearer ${project.secretKey}` },
  });
  return res.status;
}
