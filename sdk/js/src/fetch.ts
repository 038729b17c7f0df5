// observeFetch: a fetch that records calls to LLM HTTP APIs (OpenAI-style, Anthropic, Gemini) as model calls. The
// answer's body is observed as the caller reads it (never read ahead, never consumed for them): a stream is recorded
// when it ends, with what arrived until then, and as an `aborted` error when the caller stops reading it early.
import { createDigest, parsed } from "./digest.ts";
import { clean } from "./options.ts";
import { operationOf } from "./provider.ts";
import { type ObserveOptions, patch, recordCall } from "./record.ts";

// biome-ignore lint/suspicious/noExplicitAny: request bodies are read defensively
type Any = Record<string, any>;

/** The wrapped fetch of each observed fetch, so observing twice records once. */
const innerOf = new WeakMap<typeof fetch, typeof fetch>();

/** `const tracedFetch = observeFetch(fetch)`: use it for raw calls to LLM APIs. Other requests pass through untouched. */
export function observeFetch(inner: typeof fetch = fetch, options: ObserveOptions = {}): typeof fetch {
  inner = innerOf.get(inner) ?? inner; // an observed fetch: the one it wraps
  const observed: typeof fetch = async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    let url: URL | undefined;
    try {
      // A relative URL (a browser's `fetch("/v1/chat/completions")`) against the page's.
      url = new URL(request?.url ?? String(input), globalThis.location?.href);
    } catch {
      // not a URL: not a model call
    }
    const operation = url && operationOf(url.pathname);
    if (!operation || (init?.method ?? request?.method)?.toUpperCase() !== "POST") return inner(input, init);
    const started = Date.now();
    // The request's JSON body (the `openai` client sends a string; a Request is read from a copy); not JSON: no input.
    const params: Any = parsed(init?.body ?? (await request?.clone().text())) ?? {};
    const signal = init?.signal ?? request?.signal;
    // The `openai` client names the helper (stream, runTools, chat.completions.parse) that made the request.
    const helper = new Headers(init?.headers ?? request?.headers).get("x-stainless-helper-method");
    const digest = createDigest();
    let response: Response | undefined;
    /** Records the call once: failed with `failure`, or as its answer says (its HTTP status and error message, or an
     * error event in a stream). */
    let record = (failure?: string) => {
      record = () => {};
      const s = digest._state;
      const message = s._error;
      failure ??= response!.ok ? message : `HTTP ${response!.status}${message ? `: ${message}` : ""}`;
      recordCall(options, {
        // Else the path's last part: Gemini names the model there (`models/gemini-2.0-flash:generateContent`).
        model: s._model ?? params.model ?? url!.pathname.split("/").pop()!.split(":")[0],
        apiHost: url!.hostname,
        name: operation,
        input: params.messages ?? params.input ?? params.contents ?? params.prompt,
        output: digest._output(),
        usage: s._usage,
        durationMs: Date.now() - started,
        firstTokenMs: s._firstTokenAt && s._firstTokenAt - started,
        status: failure ? "error" : "ok",
        metadata: clean({ helper: helper || undefined, error: failure || undefined }),
      });
    };
    const failureOf = (err: unknown) =>
      signal?.aborted || (err as Error | undefined)?.name === "AbortError" ? "aborted" : String(err);
    try {
      response = await inner(input, init);
    } catch (err) {
      record(failureOf(err));
      throw err;
    }
    if (!response.body) {
      record();
      return response;
    }
    const sse = response.headers.get("content-type")?.includes("event-stream");
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    // A copy of the body that the digest reads as the caller reads it: never ahead, never for them.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            if (!sse) digest._end();
            record();
            controller.close();
          } else {
            digest._read(decoder.decode(value, { stream: true }), sse);
            controller.enqueue(value);
          }
        } catch (error) {
          record(failureOf(error));
          controller.error(error);
        }
      },
      cancel(reason) {
        // A body cancelled after the answer was complete, or an error answer left unread (a retry), is no abort.
        record(digest._state._finished || !response!.ok ? undefined : "aborted");
        return reader.cancel(reason);
      },
    });
    const observedResponse = new Response(body, response);
    patch(observedResponse, "url", response.url);
    return observedResponse;
  };
  innerOf.set(observed, inner);
  return observed;
}
