// observeFetch: a fetch that records calls to LLM HTTP APIs (OpenAI-style, Anthropic, Gemini) as model calls, reading
// the JSON request and response (or the server-sent events of a stream) without consuming the caller's body.
import { type ObserveOptions, recordCall } from "./record.ts";

// biome-ignore lint/suspicious/noExplicitAny: provider JSON comes in many shapes and is read defensively
type Any = Record<string, any>;

function provider(url: URL) {
  const host = url.hostname;
  if (host.includes("anthropic")) return "anthropic";
  if (host.includes("googleapis")) return "google";
  if (host.includes("openai")) return "openai";
  return host;
}

/** The text, usage and model of a finished response or of every SSE `data:` chunk of a stream. */
function digest(chunks: Any[]) {
  let text = "";
  let usage: Any | undefined;
  let model: string | undefined;
  for (const c of chunks) {
    model ??= c.model ?? c.message?.model ?? c.modelVersion;
    text += c.choices?.[0]?.delta?.content ?? c.delta?.text ?? "";
    const u = c.usage ?? c.message?.usage ?? c.usageMetadata;
    if (u) usage = { ...usage, ...u };
  }
  const single = chunks.length === 1 ? chunks[0]! : undefined;
  const output =
    single?.choices?.[0]?.message ?? single?.content ?? single?.candidates?.[0]?.content ?? (text || undefined);
  return { output, usage, model };
}

const sse = (text: string) =>
  text
    .split("\n")
    .filter((l) => l.startsWith("data:"))
    .map((l) => l.slice(5).trim())
    .filter((d) => d && d !== "[DONE]")
    .flatMap((d) => {
      try {
        return [JSON.parse(d) as Any];
      } catch {
        return [];
      }
    });

/** `const tracedFetch = observeFetch(fetch)`: use it for raw calls to LLM APIs. Other requests pass through untouched. */
export function observeFetch(inner: typeof fetch = fetch, options: ObserveOptions = {}): typeof fetch {
  return async (input, init) => {
    const started = Date.now();
    const request = new Request(input, init);
    let params: Any | undefined;
    try {
      if (request.method === "POST" && request.headers.get("content-type")?.includes("json"))
        params = (await request.clone().json()) as Any;
    } catch {
      params = undefined;
    }
    const url = new URL(request.url);
    const record = (output: unknown, usage: unknown, model: string | undefined, error?: unknown) =>
      params &&
      recordCall(options, {
        model: model ?? params.model ?? url.pathname.split("/").pop()?.split(":")[0] ?? "unknown",
        provider: provider(url),
        name: url.pathname,
        input: params.messages ?? params.input ?? params.contents ?? params.prompt,
        output,
        usage: usage as Any | undefined,
        durationMs: Date.now() - started,
        status: error ? "error" : "ok",
        ...(error !== undefined && { metadata: { error: String(error) } }),
      });
    let response: Response;
    try {
      response = await inner(input, init);
    } catch (err) {
      record(undefined, undefined, undefined, err);
      throw err;
    }
    if (params) {
      // Read a copy in the background: the caller's body stays untouched and unblocked.
      void response
        .clone()
        .text()
        .then(
          (text) => {
            const parsed = response.headers.get("content-type")?.includes("event-stream")
              ? digest(sse(text))
              : digest([JSON.parse(text) as Any]);
            record(parsed.output, parsed.usage, parsed.model, response.ok ? undefined : `HTTP ${response.status}`);
          },
          (err) => record(undefined, undefined, undefined, err),
        );
    }
    return response;
  };
}
