// Request and response bodies as the gateway handles them: JSON requests read whole (bounded), streamed answers
// observed chunk by chunk on their way to the client, whole answers read from a copy.
import { readBounded } from "../lib/body.ts";
import { GatewayError } from "./errors.ts";

/** Whether the request body is JSON we may read (not compressed, which we forward as is without recording). */
export function isJsonRequest(headers: Headers): boolean {
  const encoding = headers.get("content-encoding");
  return (
    (headers.get("content-type") ?? "").toLowerCase().includes("json") &&
    (!encoding || encoding.trim().toLowerCase() === "identity")
  );
}

type Bytes = Uint8Array<ArrayBuffer>;

/** A JSON request's bytes; 413 beyond maxBytes. */
export async function readRequestBytes(req: Request, maxBytes: number): Promise<Bytes> {
  const declared = Number(req.headers.get("content-length"));
  const tooLarge = () =>
    new GatewayError(
      "watchllm_request_too_large",
      `JSON request bodies through the gateway are limited to ${maxBytes} bytes.`,
      { max_bytes: maxBytes },
    );
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!req.body) return new Uint8Array();
  const bytes = await readBounded(req.body, maxBytes);
  if (!bytes) throw tooLarge();
  return bytes;
}

/** A copy of an answer read whole: its bytes, or that it was too large, or how it failed (cut off, timed out). */
export async function readCopy(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<{ bytes?: Bytes; tooLarge?: true; failure?: string }> {
  try {
    const bytes = await readBounded(stream, maxBytes);
    return bytes ? { bytes } : { tooLarge: true };
  } catch (err) {
    const timedOut = err instanceof Error && err.name === "TimeoutError";
    return { failure: timedOut ? "watchllm_call_timeout" : `upstream answer cut off: ${String(err)}` };
  }
}

/**
 * Passes a streamed answer through to the client chunk by chunk, reading the upstream only as fast as the client takes
 * it, and shows each chunk to `onChunk` after handing it on. Reports once how the stream ended: completed (undefined),
 * the client went away (`aborted`; the upstream request is then cancelled), or the upstream failed. (A JavaScript
 * stream rather than a tee: only its `cancel` tells us that the client left.)
 */
export function observeStream(
  body: ReadableStream<Uint8Array>,
  onChunk: (bytes: Uint8Array) => void,
  onEnd: (failure?: string) => void,
) {
  const reader = body.getReader();
  let ended = false;
  const end = (failure?: string) => {
    if (ended) return;
    ended = true;
    onEnd(failure);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (err) {
          const timedOut = err instanceof Error && err.name === "TimeoutError";
          end(timedOut ? "watchllm_call_timeout" : `upstream stream failed: ${String(err)}`);
          controller.error(err);
          return;
        }
        // After a cancel (the client went away while we waited) the controller refuses both: nothing left to do.
        try {
          if (result.done) controller.close();
          else controller.enqueue(result.value);
        } catch {
          return;
        }
        if (result.done) end();
        else onChunk(result.value);
      },
      cancel(reason) {
        end("aborted");
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
