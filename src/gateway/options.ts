// The caller's WatchLLM-* request headers: read and checked before anything is forwarded, and stripped from what is.
import { GatewayError } from "./errors.ts";
import { GATEWAY_LIMITS } from "./limits.ts";

export type CallOptions = {
  traceId?: string;
  parentId?: string;
  userId?: string;
  sessionId?: string;
  name?: string;
  /** WatchLLM-Trace-Name: a root span of that name over the trace's calls (see traceRoot in record.ts). */
  traceName?: string;
  tags: string[];
  /** WatchLLM-Property-<Key> headers (keys lowercased, as HTTP header names are case-insensitive). */
  properties: Record<string, string>;
  cache: { enabled: boolean; ttlSeconds: number };
  /** WatchLLM-Omit-Request / -Response: keep the request's input and params, or the output, out of the recording. */
  omit: { request: boolean; response: boolean };
};

const PROPERTY_PREFIX = "watchllm-property-";

function bounded(headers: Headers, name: string, max: number): string | undefined {
  const value = headers.get(name)?.trim();
  if (!value) return undefined;
  if (value.length > max)
    throw new GatewayError("watchllm_invalid_header", `${name} is longer than ${max} characters.`, { header: name });
  // The event refuses ids with control characters: refuse the call now rather than forward it and lose its recording.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
  if (/[\u0000-\u001f\u007f]/.test(value))
    throw new GatewayError("watchllm_invalid_header", `${name} must not contain control characters.`, { header: name });
  return value;
}

function flag(headers: Headers, name: string): boolean {
  const value = headers.get(name)?.trim().toLowerCase();
  if (value !== undefined && value !== "true" && value !== "false") {
    throw new GatewayError("watchllm_invalid_header", `${name} must be \`true\` or \`false\`.`, { header: name });
  }
  return value === "true";
}

function cacheOptions(headers: Headers) {
  const flag = headers.get("watchllm-cache")?.trim().toLowerCase();
  if (flag !== undefined && flag !== "true" && flag !== "false") {
    throw new GatewayError("watchllm_invalid_header", "WatchLLM-Cache must be `true` or `false`.", {
      header: "WatchLLM-Cache",
    });
  }
  const ttlText = headers.get("watchllm-cache-ttl")?.trim();
  const ttl = ttlText === undefined ? GATEWAY_LIMITS.cacheTtlDefaultSeconds : Number(ttlText);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > GATEWAY_LIMITS.cacheTtlMaxSeconds) {
    throw new GatewayError(
      "watchllm_invalid_header",
      `WatchLLM-Cache-TTL must be a whole number of seconds from 1 to ${GATEWAY_LIMITS.cacheTtlMaxSeconds}.`,
      {
        header: "WatchLLM-Cache-TTL",
      },
    );
  }
  return { enabled: flag === "true", ttlSeconds: ttl };
}

/** Reads the optional headers, within the limits of the event they end up in (400 rather than a lost recording). */
export function readCallOptions(headers: Headers): CallOptions {
  const tags = (headers.get("watchllm-tags") ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  if (tags.length > 50 || tags.some((t) => t.length > 64)) {
    throw new GatewayError(
      "watchllm_invalid_header",
      "WatchLLM-Tags takes at most 50 comma-separated tags of at most 64 characters.",
      { header: "WatchLLM-Tags" },
    );
  }
  const properties: Record<string, string> = {};
  let propertyChars = 0;
  for (const [name, value] of headers) {
    if (!name.startsWith(PROPERTY_PREFIX) || name.length === PROPERTY_PREFIX.length) continue;
    properties[name.slice(PROPERTY_PREFIX.length)] = value;
    propertyChars += name.length + value.length;
  }
  if (propertyChars > 4096) {
    throw new GatewayError("watchllm_invalid_header", "WatchLLM-Property-* headers exceed 4,096 characters in total.", {
      header: "WatchLLM-Property-*",
    });
  }
  // Named as documented (Headers reads any case): a refusal's message and `details.header` spell it so.
  return {
    traceId: bounded(headers, "WatchLLM-Trace-Id", 128),
    parentId: bounded(headers, "WatchLLM-Parent-Id", 128),
    userId: bounded(headers, "WatchLLM-User-Id", 256),
    sessionId: bounded(headers, "WatchLLM-Session-Id", 256),
    name: bounded(headers, "WatchLLM-Name", 256),
    traceName: bounded(headers, "WatchLLM-Trace-Name", 256),
    tags: [...new Set(tags)],
    properties,
    cache: cacheOptions(headers),
    omit: { request: flag(headers, "WatchLLM-Omit-Request"), response: flag(headers, "WatchLLM-Omit-Response") },
  };
}

/**
 * Headers the upstream never sees: ours, Cloudflare's and the proxy chain's (the client's IP stays with us), and the
 * browser's own (a WatchLLM session cookie, the page that made the call).
 */
const DROPPED =
  /^(watchllm-|cf-|x-forwarded-|x-real-ip$|host$|content-length$|accept-encoding$|connection$|keep-alive$|te$|trailer$|transfer-encoding$|upgrade$|proxy-|cookie$|referer$|origin$)/;

/** The request headers to forward: everything the client sent (provider keys included, unchanged) but the above. */
export function forwardHeaders(headers: Headers): Headers {
  const out = new Headers();
  for (const [name, value] of headers) if (!DROPPED.test(name)) out.append(name, value);
  return out;
}

/** Header names that can carry a credential, whatever the provider or proxy calls it (`X-Portkey-Api-Key`, `Cookie`). */
const CREDENTIAL = /auth|key|token|secret|cookie|session|signature|credential|password|bearer/;

/**
 * The credentials of a request (every header that can carry one but WatchLLM's own), as one string to hash (never
 * stored or logged as such): two callers share a cache entry only when they present the same ones.
 */
export function providerCredentials(headers: Headers): string {
  const lines: string[] = [];
  for (const [name, value] of headers)
    if (CREDENTIAL.test(name) && !name.startsWith("watchllm-")) lines.push(`${name}=${value}`);
  return lines.sort().join("\n");
}
