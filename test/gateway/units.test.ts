// The gateway's pure parts: SSE split anywhere still assembles the same recording, usage shapes, and the SSRF rules.
import { describe, expect, it } from "vitest";
import { normalizeUsage } from "../../contract/providers.ts";
import { readRequestBytes } from "../../src/gateway/body.ts";
import { digestJson, sseParser, streamAssembler } from "../../src/gateway/digest.ts";
import { GatewayError } from "../../src/gateway/errors.ts";
import { checkTarget, isPrivateHost, providerOf } from "../../src/gateway/target.ts";

/** Feeds SSE text to a parser + assembler in pieces cut at the given byte sizes. */
function assemble(text: string, cut: (i: number) => number) {
  const assembler = streamAssembler(1_000_000);
  const parser = sseParser((d) => assembler.push(d));
  const bytes = new TextEncoder().encode(text);
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = Math.max(1, cut(i));
    parser.write(bytes.slice(at, at + size));
    at += size;
  }
  parser.end();
  return assembler.result();
}

const chat = [
  { choices: [{ index: 0, delta: { role: "assistant", content: "" } }], model: "m" },
  { choices: [{ index: 0, delta: { content: "héllo " } }] },
  { choices: [{ index: 0, delta: { content: "wörld ✓" } }] },
  {
    choices: [
      {
        index: 0,
        delta: { tool_calls: [{ index: 0, id: "c1", type: "function", function: { name: "f", arguments: '{"a"' } }] },
      },
    ],
  },
  { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: ":1}" } }] } }] },
  { choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] },
  { choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } },
];
const sse = (events: object[], eol = "\n") =>
  `${events.map((e) => `data: ${JSON.stringify(e)}${eol}${eol}`).join("")}data: [DONE]${eol}${eol}`;

describe("stream assembly", () => {
  const expected = {
    model: "m",
    output: {
      role: "assistant",
      content: "héllo wörld ✓",
      tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: '{"a":1}' } }],
    },
    usage: { prompt_tokens: 3, completion_tokens: 2 },
    error: undefined,
    finishReason: "tool_calls",
  };

  it.each([
    ["whole", () => 1_000_000],
    ["byte by byte (multi-byte characters split)", () => 1],
    ["in 7-byte pieces", () => 7],
    ["in pseudo-random pieces", (i: number) => ((i * 7919) % 23) + 1],
  ])("gives the same digest when the stream arrives %s", (_, cut) => {
    expect(assemble(sse(chat), cut)).toEqual(expected);
    expect(assemble(sse(chat, "\r\n"), cut)).toEqual(expected);
  });

  it("keeps streamed output within its character budget", () => {
    const assembler = streamAssembler(10);
    for (let i = 0; i < 5; i++) assembler.push({ choices: [{ index: 0, delta: { content: "abcdef" } }] });
    expect(assembler.result().output).toEqual({ role: "assistant", content: "abcdefabcd" });
  });

  it("records an error event in the middle of a stream", () => {
    const result = assemble(
      `${sse(chat.slice(0, 2))}event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n`,
      () => 5,
    );
    expect(result.error).toBe("Overloaded");
  });

  it("skips an oversized line and goes on", () => {
    const received: unknown[] = [];
    const parser = sseParser((d) => received.push(d), 100);
    parser.write(new TextEncoder().encode(`data: "${"x".repeat(300)}`));
    parser.write(new TextEncoder().encode(`"\n\ndata: {"ok":1}\n\n`));
    parser.end();
    expect(received).toEqual([{ ok: 1 }]);
  });
});

describe("whole answers", () => {
  it("keeps all choices when n > 1, and an error's message", () => {
    expect(
      digestJson({ model: "m", choices: [{ message: { content: "a" } }, { message: { content: "b" } }] }).output,
    ).toEqual([{ content: "a" }, { content: "b" }]);
    expect(digestJson({ error: { message: "nope", type: "invalid_request_error" } }).error).toBe("nope");
    expect(digestJson({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }).error).toBe(
      "Overloaded",
    );
  });
});

describe("usage", () => {
  it("counts cache reads and writes inside input tokens, whatever the provider's shape", () => {
    expect(
      normalizeUsage({ prompt_tokens: 10, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 4 } }),
    ).toEqual({ input_tokens: 10, output_tokens: 2, cached_input_tokens: 4 });
    expect(normalizeUsage({ prompt_tokens: 10, completion_tokens: 2, prompt_cache_hit_tokens: 6 })).toEqual({
      input_tokens: 10,
      output_tokens: 2,
      cached_input_tokens: 6,
    });
    expect(normalizeUsage({ input_tokens: 20, output_tokens: 5, input_tokens_details: { cached_tokens: 8 } })).toEqual({
      input_tokens: 20,
      output_tokens: 5,
      cached_input_tokens: 8,
    });
    expect(
      normalizeUsage({
        input_tokens: 10,
        cache_read_input_tokens: 5,
        cache_creation_input_tokens: 3,
        output_tokens: 6,
      }),
    ).toEqual({
      input_tokens: 18,
      output_tokens: 6,
      cached_input_tokens: 5,
      cache_write_tokens: 3,
    });
    expect(normalizeUsage({ prompt_tokens: 6, total_tokens: 6 })).toEqual({
      input_tokens: 6,
      output_tokens: 0,
      cached_input_tokens: 0,
    });
    expect(normalizeUsage(null)).toBeUndefined();
  });
});

describe("SSRF rules", () => {
  it.each([
    "127.0.0.1",
    "10.0.0.1",
    "172.31.255.255",
    "192.168.0.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "[::1]",
    "[::]",
    "[fc00::1]",
    "[fd00::1]",
    "[fe80::1]",
    "[::ffff:7f00:1]",
    "[::ffff:a00:1]",
    "[64:ff9b::a00:1]",
    "[2002:7f00:1::]",
    "[ff02::1]",
    "localhost",
    "LOCALHOST.",
    "api.localhost",
    "printer.local",
    "db.internal",
    "router.home.arpa",
    "intranet",
  ])("refuses %s", (host) => expect(isPrivateHost(host)).toBe(true));

  it.each([
    "api.openai.com",
    "8.8.8.8",
    "172.32.0.1",
    "192.169.0.1",
    "[2606:4700::1111]",
    "[::ffff:808:808]",
    "api.groq.com",
  ])("allows %s", (host) => expect(isPrivateHost(host)).toBe(false));

  it("applies the allow-list: hosts, wildcards and exact origins", () => {
    const list = "api.groq.com, *.openai.azure.com, http://10.0.0.5:11434";
    expect(checkTarget("https://api.groq.com/openai/v1/", list, "ingest")).toEqual({
      base: "https://api.groq.com/openai/v1",
      provider: "groq",
    });
    expect(checkTarget("https://me.openai.azure.com/openai", list, "ingest").provider).toBe("azure");
    expect(checkTarget("http://10.0.0.5:11434/v1", list, "ingest")).toEqual({
      base: "http://10.0.0.5:11434/v1",
      provider: "10.0.0.5",
    });
    expect(() => checkTarget("https://api.openai.com/v1", list, "ingest")).toThrow(GatewayError);
    expect(() => checkTarget("http://10.0.0.5:11435/v1", list, "ingest")).toThrow(GatewayError);
    expect(() => checkTarget("https://openai.azure.com.evil.example/v1", list, "ingest")).toThrow(GatewayError);
    expect(checkTarget("https://api.together.xyz/v1", "", "ingest").provider).toBe("together");
  });

  it("is no open proxy for ingest keys: without an allow-list they reach the known providers only; secret keys any public host", () => {
    for (const target of ["https://api.openai.com/v1", "https://api.anthropic.com", "https://api.groq.com/openai/v1"])
      expect(checkTarget(target, "", "ingest").base).toBe(target);
    expect(checkTarget("https://my-resource.openai.azure.com/openai", undefined, "ingest").provider).toBe("azure");
    for (const target of [
      "https://example.com/v1",
      "https://evil.example/api.openai.com",
      "https://openai.com.evil.example/v1",
    ]) {
      expect(() => checkTarget(target, "", "ingest")).toThrow(/known provider/);
      expect(checkTarget(target, "", "secret").base).toBe(target.replace(/\/$/, ""));
    }
    // The operator's list decides for every key; private hosts stay refused for secret keys too.
    expect(() => checkTarget("https://example.com/v1", "api.groq.com", "secret")).toThrow(GatewayError);
    expect(checkTarget("https://example.com/v1", "example.com", "ingest").base).toBe("https://example.com/v1");
    expect(() => checkTarget("https://127.0.0.1/v1", "", "secret")).toThrow(/public host/);
  });

  it.each([
    "https://localhost../v1",
    "https://127.0.0.1../v1",
    "https://localhost.../v1",
    "https://[::ffff:0:127.0.0.1]/v1",
    "https://[::ffff:0:10.0.0.1]/v1",
    "https://[64:ff9b:1::7f00:1]/v1",
    "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/v1",
    "https://[fe80::5efe:10.0.0.1]/v1",
    "https://[2001:db9::5efe:127.0.0.1]/v1",
  ])("refuses %s for any key (trailing dots, IPv4 embedded in IPv6)", (target) => {
    expect(() => checkTarget(target, "", "secret")).toThrow(GatewayError);
  });

  it("names providers as the price table does", () => {
    expect(
      ["api.openai.com", "openrouter.ai", "api.x.ai", "api.mistral.ai", "llm.example.com"].map(providerOf),
    ).toEqual(["openai", "openrouter", "x-ai", "mistral", "llm.example.com"]);
  });
});

describe("request size", () => {
  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    new Request("https://x/", { method: "POST", body, headers, duplex: "half" } as RequestInit);
  it("reads a JSON body up to the limit and refuses a larger one, declared or not", async () => {
    expect(await readRequestBytes(post("12345"), 5)).toEqual(new TextEncoder().encode("12345"));
    await expect(readRequestBytes(post("123456"), 5)).rejects.toMatchObject({
      code: "watchllm_request_too_large",
      status: 413,
    });
    const undeclared = new ReadableStream({
      start(c) {
        c.enqueue(new Uint8Array(4));
        c.enqueue(new Uint8Array(4));
        c.close();
      },
    });
    await expect(readRequestBytes(post(undeclared), 5)).rejects.toMatchObject({ code: "watchllm_request_too_large" });
    await expect(readRequestBytes(post("1", { "content-length": "999" }), 5)).rejects.toMatchObject({
      code: "watchllm_request_too_large",
    });
  });
});

describe("hostile streams stay cheap", () => {
  it("skips absurd indexes instead of allocating them (content_index 5,000,000, output_index, tool and choice indexes)", () => {
    const assembler = streamAssembler(1_000_000);
    const started = performance.now();
    assembler.push({ type: "response.output_text.delta", output_index: 0, content_index: 5_000_000, delta: "x" });
    assembler.push({ type: "response.output_text.delta", output_index: 9_000_000, content_index: 0, delta: "y" });
    assembler.push({ type: "response.output_text.delta", output_index: 0, content_index: 3, delta: "kept" });
    assembler.push({ type: "response.output_text.delta", output_index: 0, content_index: 1, delta: "first" });
    const output = assembler.result().output;
    expect(JSON.stringify(output).length).toBeLessThan(500);
    expect(output).toEqual([
      {
        type: "message",
        role: "assistant",
        content: [
          { type: "output_text", text: "first" },
          { type: "output_text", text: "kept" },
        ],
      },
    ]);
    const chat = streamAssembler(1_000_000);
    chat.push({ choices: [{ index: 4_000_000, delta: { content: "a" } }] });
    chat.push({
      choices: [{ index: 0, delta: { tool_calls: [{ index: 7_000_000, function: { arguments: "{}" } }] } }],
    });
    chat.push({ choices: [{ index: 0, delta: { content: "ok" } }] });
    expect(chat.result().output).toEqual({ role: "assistant", content: "ok" });
    const anthropic = streamAssembler(1_000_000);
    anthropic.push({ type: "content_block_start", index: 6_000_000, content_block: { type: "text", text: "" } });
    anthropic.push({ type: "content_block_delta", index: 1.5, delta: { type: "text_delta", text: "no" } });
    anthropic.push({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "yes" } });
    expect(anthropic.result().output).toEqual({ role: "assistant", content: [{ type: "text", text: "yes" }] });
    expect(performance.now() - started).toBeLessThan(200);
  });

  it("scans a long line arriving in small pieces once, not once per piece", () => {
    const received: unknown[] = [];
    const parser = sseParser((d) => received.push(d));
    const piece = new TextEncoder().encode("x".repeat(256));
    const started = performance.now();
    parser.write(new TextEncoder().encode('data: "'));
    for (let i = 0; i < 12_000; i++) parser.write(piece);
    parser.write(new TextEncoder().encode('"\n\n'));
    parser.end();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect((received[0] as string).length).toBe(256 * 12_000);
  });
});
