// observeOpenAI: an `openai` client (v5 or later) that records every model call it makes. It is the library's own
// client, made by its `withOptions({ fetch })` with an observing fetch, so every method, helper, stream, `.tee()`,
// `.withResponse()` and `instanceof` work as before; each HTTP request to a model endpoint becomes one model call.
// `chat.completions.runTools()` also records a span for the run, with its model calls and tool calls inside.
import { parsed } from "./digest.ts";
import { observeFetch } from "./fetch.ts";
import { type ObserveOptions, openSpan, patch } from "./record.ts";
import type { Span, ToolCallOptions } from "./span.ts";

// biome-ignore lint/suspicious/noExplicitAny: the runner's events carry the library's message shapes
type Any = Record<string, any>;
type Runner = { on(event: string, listener: (value: Any) => void): unknown; errored?: boolean; aborted?: boolean };
type RunTools = (body: Any, options?: unknown) => Runner;
/** What is used of an `openai` client (no dependency on the package). */
type Client = {
  withOptions(options: { fetch?: typeof fetch }): Client;
  fetch?: typeof fetch;
  chat?: { completions?: { runTools?: RunTools } };
};

/** Records the run's tool calls (from its messages) under `span`, and ends the span with the run. */
function followRun(runner: Runner, span: Span) {
  const requested: Record<string, { name?: string; arguments?: unknown }> = {};
  // Tools run one after another once the model asked for them: each one's duration runs from the previous message.
  let mark = Date.now();
  let answer: unknown;
  /** A tool call the model asked for (its arguments parsed when they are JSON), with what became of it. */
  const tool = (call: { name?: string; arguments?: unknown } = {}, more: Omit<ToolCallOptions, "name">) =>
    span.toolCall({
      name: call.name ?? "tool",
      input: parsed(call.arguments),
      ...more,
    });
  runner.on("message", (m) => {
    if (m.role === "assistant") {
      for (const call of m.tool_calls ?? []) requested[call.id] = call.function;
      answer = m.content ?? answer;
    } else if (m.role === "tool") {
      tool(requested[m.tool_call_id], { output: m.content, durationMs: Date.now() - mark });
      delete requested[m.tool_call_id];
    }
    mark = Date.now();
  });
  runner.on("end", () => {
    const failed = runner.errored || runner.aborted;
    // A tool the model asked for that never answered: the run failed (or was aborted) while it ran.
    if (failed) for (const call of Object.values(requested)) tool(call, { status: "error" });
    span.end({
      output: answer,
      status: failed ? "error" : "ok",
      metadata: runner.aborted ? { error: "aborted" } : undefined,
    });
  });
}

type WithOptions = Client["withOptions"];

/**
 * A client derived from `source` (by its `withOptions`, with `more`) whose requests go through an observing fetch
 * around `inner`, given what `withOptions` doesn't carry over: its own `withOptions` (clients derived from it record
 * too) and `chat.completions.runTools` recorded as a span.
 */
function instrument(
  source: Client,
  withOptions: WithOptions,
  inner: typeof fetch,
  options: ObserveOptions,
  more: { fetch?: typeof fetch } = {},
): Client {
  const client = withOptions.call(source, { ...more, fetch: observeFetch(inner, options) });
  patch(client, "withOptions", (more: { fetch?: typeof fetch } = {}) =>
    instrument(client, withOptions, more.fetch ?? inner, options, more),
  );
  const completions = client.chat?.completions;
  const runTools = completions?.runTools;
  if (runTools)
    patch(completions!, "runTools", (body: Any, runOptions?: unknown) => {
      const span = openSpan(options, "chat.completions.runTools", body.messages);
      if (!span) return runTools.call(completions, body, runOptions);
      // The run's requests go through a client of its own, whose calls are recorded under the run's span.
      const run = instrument(client, withOptions, inner, { ...options, parent: span }).chat!.completions!;
      const runner = runTools.call(run, body, runOptions);
      followRun(runner, span);
      return runner;
    });
  return client;
}

/** `const openai = observeOpenAI(new OpenAI())`: a client like yours (same class and options) that records every model call it makes. */
export function observeOpenAI<T extends object>(client: T, options: ObserveOptions = {}): T {
  const c = client as unknown as Client;
  const withOptions = (Object.getPrototypeOf(c) as Partial<Client>).withOptions;
  if (typeof withOptions !== "function")
    throw new TypeError("observeOpenAI: not an openai v5+ client; use observeFetch");
  return instrument(c, withOptions, c.fetch ?? fetch, options) as T;
}
