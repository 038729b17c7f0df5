// The opt-in answer cache (WatchLLM-Cache: true): non-streamed 2xx answers in the Cache API, keyed by project, a hash
// of the provider credentials, method, upstream URL, the headers that change an answer, and the body. Nothing in the
// key or the stored answer holds a credential in clear.
import { providerCredentials } from "./options.ts";

/** Workers' default cache (the DOM typings lack `default`). */
const cache = () => (caches as unknown as { default: Cache }).default;

/** Request headers that select a different answer for the same body. */
const VARYING = ["anthropic-version", "anthropic-beta", "openai-organization", "openai-project", "openai-beta"];
/** Response headers that must not be replayed from the cache (or can't be stored with it). */
const NOT_STORED = [
  "set-cookie",
  "content-encoding",
  "content-length",
  "transfer-encoding",
  "vary",
  "age",
  "cf-cache-status",
  "cf-ray",
];
const ORIGINAL_CACHE_CONTROL = "watchllm-original-cache-control";

async function sha256(parts: Array<string | Uint8Array>): Promise<string> {
  const encoder = new TextEncoder();
  const chunks = parts.map((p) => (typeof p === "string" ? encoder.encode(p) : p));
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength + 1, 0));
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength + 1; // a zero byte between parts keeps them apart
  }
  const digest = await crypto.subtle.digest("SHA-256", all);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The cache key: a GET on this Worker's own origin (the Cache API keys by URL). */
export async function cacheKey(
  origin: string,
  projectId: string,
  method: string,
  upstreamUrl: string,
  headers: Headers,
  body: Uint8Array,
) {
  const credentials = await sha256([providerCredentials(headers)]);
  const varying = VARYING.map((h) => `${h}=${headers.get(h) ?? ""}`).join("\n");
  const hash = await sha256([projectId, credentials, method, upstreamUrl, varying, body]);
  return new Request(`${origin}/gateway/_cache/${hash}`);
}

/** The stored answer, with its original headers as they came from the upstream. */
export async function lookup(key: Request): Promise<Response | undefined> {
  const hit = await cache().match(key);
  if (!hit) return undefined;
  const headers = new Headers(hit.headers);
  const original = headers.get(ORIGINAL_CACHE_CONTROL);
  headers.delete(ORIGINAL_CACHE_CONTROL);
  for (const name of NOT_STORED) headers.delete(name);
  if (original) headers.set("cache-control", original);
  else headers.delete("cache-control");
  return new Response(hit.body, { status: hit.status, statusText: hit.statusText, headers });
}

/** Stores an answer for ttlSeconds. */
export async function store(
  key: Request,
  status: number,
  statusText: string,
  upstreamHeaders: Headers,
  body: Uint8Array<ArrayBuffer>,
  ttlSeconds: number,
) {
  const headers = new Headers(upstreamHeaders);
  for (const name of NOT_STORED) headers.delete(name);
  const original = headers.get("cache-control");
  if (original) headers.set(ORIGINAL_CACHE_CONTROL, original);
  headers.set("cache-control", `public, max-age=${ttlSeconds}`);
  await cache().put(key, new Response(body, { status, statusText, headers }));
}
