// observeOpenAI: wraps an OpenAI (or OpenAI-compatible) client so every chat.completions, completions, responses and
// embeddings `create` call is recorded — model, tokens, latency, input/output, errors — streaming included. Works
// structurally (no dependency on the `openai` package); the returned client behaves exactly like the original.
import { type ObserveOptions, recordCall } from "./record.ts";

const RESOURCES = new Set(["chat.completions", "completions", "responses", "embeddings"]);
type Params = { model?: string; messages?: unknown; input?: unknown; prompt?: unknown; stream?: boolean };
// biome-ignore lint/suspicious/noExplicitAny: provider JSON comes in many shapes and is read defensively
type Any = Record<string, any>;

/** The output worth keeping from a finished (non-streamed) result. */
function outputOf(resource: string, result: Any) {
  if (resource === "embeddings")
    return { embeddings: result.data?.length ?? 0, dimensions: result.data?.[0]?.embedding?.length };
  if (resource === "responses") return result.output_text ?? result.output;
  return result.choices?.[0]?.message ?? result.choices?.[0]?.text;
}

/** Collects a stream's text and usage while passing every chunk through untouched. */
function observeStream(
  stream: Any,
  done: (output: string, usage: unknown, model: string | undefined, error?: unknown) => void,
) {
  const iterate = async function* () {
    let text = "";
    let usage: unknown;
    let model: string | undefined;
    try {
      for await (const chunk of stream as AsyncIterable<Any>) {
        model ??= chunk.model ?? chunk.response?.model;
        text +=
          chunk.choices?.[0]?.delta?.content ??
          chunk.choices?.[0]?.text ??
          (chunk.type === "response.output_text.delta" ? chunk.delta : "") ??
          "";
        usage = chunk.usage ?? chunk.response?.usage ?? usage;
        yield chunk;
      }
      done(text, usage, model);
    } catch (err) {
      done(text, usage, model, err);
      throw err;
    }
  };
  return new Proxy(stream, {
    get: (target, key) => (key === Symbol.asyncIterator ? () => iterate() : Reflect.get(target, key)),
  });
}

function wrapCreate(
  create: (...args: unknown[]) => Promise<Any> | Any,
  self: unknown,
  resource: string,
  options: ObserveOptions,
) {
  return (params: Params, ...rest: unknown[]) => {
    const started = Date.now();
    const input = params?.messages ?? params?.input ?? params?.prompt;
    const record = (output: unknown, usage: unknown, model: string | undefined, error?: unknown) =>
      recordCall(options, {
        model: model ?? params?.model ?? "unknown",
        provider: "openai",
        name: resource,
        input,
        output,
        usage: usage as Any | undefined,
        durationMs: Date.now() - started,
        status: error ? "error" : "ok",
        ...(error !== undefined && { metadata: { error: error instanceof Error ? error.message : String(error) } }),
      });
    const pending = Promise.resolve(create.call(self, params, ...rest));
    return pending.then(
      (result: Any) => {
        if (params?.stream && result && Symbol.asyncIterator in result) return observeStream(result, record);
        record(outputOf(resource, result), result?.usage, result?.model);
        return result;
      },
      (err: unknown) => {
        record(undefined, undefined, undefined, err);
        throw err;
      },
    );
  };
}

function wrap<T extends object>(target: T, path: string, options: ObserveOptions): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value = Reflect.get(obj, key, receiver);
      if (typeof key !== "string") return value;
      if (key === "create" && typeof value === "function" && RESOURCES.has(path))
        return wrapCreate(value as (...args: unknown[]) => Promise<Any>, obj, path, options);
      if (value && typeof value === "object" && ["chat", "completions", "responses", "embeddings"].includes(key))
        return wrap(value, path ? `${path}.${key}` : key, options);
      return value;
    },
  });
}

/** Returns the client, instrumented: `const openai = observeOpenAI(new OpenAI())`. */
export function observeOpenAI<T extends object>(client: T, options: ObserveOptions = {}): T {
  return wrap(client, "", options);
}
