// Reads a request body as bytes, gunzipping `Content-Encoding: gzip`, with the size limit applied to what comes out
// (so a small gzip bomb is refused after `maxBytes` decompressed bytes, without inflating the rest).
import { ApiError } from "./errors.ts";

/** The body's bytes, at most `maxBytes` after decompression; 413 beyond, 400 for broken gzip, 415 for other encodings. */
export async function readBody(req: Request, maxBytes: number): Promise<Bytes> {
  const encoding = (req.headers.get("Content-Encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip") {
    throw new ApiError(
      "unsupported_encoding",
      `Content-Encoding ${encoding} is not supported; send gzip or no encoding.`,
      { supported: ["gzip", "identity"] },
    );
  }
  if (!req.body) return new Uint8Array();
  const declared = Number(req.headers.get("Content-Length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const stream = encoding === "gzip" ? req.body.pipeThrough(new DecompressionStream("gzip")) : req.body;
  let bytes: Bytes | undefined;
  try {
    bytes = await readBounded(stream, maxBytes);
  } catch (err) {
    throw new ApiError(
      "invalid_body",
      encoding === "gzip" ? "The body is not valid gzip." : "The body could not be read.",
      String(err),
    );
  }
  if (!bytes) throw tooLarge(maxBytes);
  return bytes;
}

type Bytes = Uint8Array<ArrayBuffer>;

/**
 * A stream read whole, or `undefined` as soon as it passes `maxBytes` (the rest is cancelled, never read); a failing
 * stream rejects. The gateway reads answers and requests with it too.
 */
export async function readBounded(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Bytes | undefined> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  if (chunks.length === 1 && chunks[0]!.buffer instanceof ArrayBuffer) return chunks[0] as Bytes;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** The body as UTF-8 text (see readBody). */
export async function readTextBody(req: Request, maxBytes: number): Promise<string> {
  return new TextDecoder().decode(await readBody(req, maxBytes));
}

/** The body parsed as JSON (see readBody); 400 `invalid_json` when it is not. The content type is not trusted:
 * sendBeacon posts JSON as text/plain. */
export async function readJsonBody(req: Request, maxBytes: number): Promise<unknown> {
  const text = await readTextBody(req, maxBytes);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError("invalid_json", "Request body is not valid JSON.", String(err));
  }
}

const tooLarge = (maxBytes: number) =>
  new ApiError(
    "payload_too_large",
    `Request body exceeds ${maxBytes} bytes (after decompression); send smaller batches.`,
    { max_bytes: maxBytes },
  );
