// Request and response bodies as the gateway handles them: JSON requests read whole (bounded), streamed answers
// observed chunk by chunk on their way to the client, whole answers read from a copy.
import { GatewayError } from "./errors.ts";

/** Whether the request body is JSON we may read (not compressed, which we forward as is without recording). */
export function isJsonRequest(headers: Headers): boolean {
  const encoding = headers.get("content-encoding");
  return (headers.get("content-type") ?? "").toLowerCase().includes("json") && (!encoding || encoding.trim().toLowerCase() === "identity");
}

type Bytes = Uint8Array<ArrayBuffer>;

async function readAll(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Bytes | undefined> {
  const reader = stream.getReader();
  const chunks: Bytes[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value as Bytes);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** A JSON request's bytes; 413 beyond maxBytes. */
export async function readRequestBytes(req: Request, maxBytes: number): Promise<Bytes> {
  const declared = Number(req.headers.get("content-length"));
  const tooLarge = () =>
    new GatewayError("watchllm_request_too_large", `JSON request bodies through the gateway are limited to ${maxBytes} bytes.`, { max_bytes: maxBytes });
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!req.body) return new Uint8Array();
  const bytes = await readAll(req.body, maxBytes);
  if (!bytes) throw tooLarge();
  return bytes;
}

/** A copy of an answer read whole, or undefined when larger than maxBytes or cut off. */
export async function readCopy(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Bytes | undefined> {
  try {
    return await readAll(stream, maxBytes);
  } catch {
    return undefined;
  }
}

/** The body length the client can be told up front: the upstream's Content-Length when the body is not re-encoded. */
export function knownLength(headers: Headers): number | undefined {
  const length = Number(headers.get("content-length") ?? Number.NaN);
  const encoding = headers.get("content-encoding");
  return Number.isSafeInteger(length) && length >= 0 && (!encoding || encoding === "identity") ? length : undefined;
}

/**
 * Hands a body to the client natively (no JavaScript per chunk). `delivered` settles once the client has all of it
 * (true), or when the client went away or the upstream failed (false).
 */
export function deliver(body: ReadableStream<Uint8Array>, length?: number) {
  const { readable, writable } = length === undefined ? new IdentityTransformStream() : new FixedLengthStream(length);
  const delivered = body.pipeTo(writable).then(
    () => true,
    () => false,
  );
  return { readable, delivered };
}

/**
 * Passes a streamed answer to the client as it arrives (a tee: one branch delivered natively, the other read here),
 * showing each chunk to `onChunk`. Reports once how the stream ended: completed (undefined), the client went away
 * (`aborted`; the upstream request is then cancelled), or the upstream failed.
 */
export function observeStream(body: ReadableStream<Uint8Array>, onChunk: (bytes: Uint8Array) => void, onEnd: (failure?: string) => void) {
  const [toClient, copy] = body.tee();
  const { readable, delivered } = deliver(toClient);
  const reader = copy.getReader();
  let clientGone = false;
  void delivered.then((ok) => {
    if (ok) return;
    // Either the client left (the copy is still fine: cancelling it, with the client's branch gone, cancels the
    // upstream request) or the upstream failed (the copy's read fails too, and says so below).
    clientGone = true;
    reader.cancel().catch(() => undefined);
  });
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        onChunk(value);
      }
    } catch (err) {
      // A cancelled copy's pending read fails rather than ending, in workerd.
      const timedOut = err instanceof Error && err.name === "TimeoutError";
      onEnd(timedOut ? "watchllm_call_timeout" : clientGone ? "aborted" : `upstream stream failed: ${String(err)}`);
      return;
    }
    // The copy may finish before the client's branch: wait for the client's side to settle.
    onEnd((await delivered) ? undefined : "aborted");
  })();
  return readable;
}
