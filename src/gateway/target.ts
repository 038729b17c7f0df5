// Where a gateway call goes: the configured OpenAI / Anthropic upstreams, or (for /gateway/v1) the caller's
// WatchLLM-Target-URL, which must be public https (SSRF) and: on GATEWAY_ALLOWED_HOSTS if the operator set it; else a
// known provider's API, or any host for a secret key only (ingest keys are published in web pages: with them the
// gateway must not be an open proxy).
import { GatewayError } from "./errors.ts";

/** Where a call goes; `variable` names the setting that chose `base` (the fixed provider routes), for error messages. */
export type Target = { base: string; provider: string; variable?: string };

/** Names that never resolve to a public service. */
const PRIVATE_SUFFIXES = [
  ".localhost",
  ".local",
  ".localdomain",
  ".internal",
  ".intranet",
  ".lan",
  ".home.arpa",
  ".corp",
  ".private",
];

function ipv4Parts(host: string): number[] | null {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const nums = parts.map(Number);
  return nums.every((n) => n <= 255) ? nums : null;
}

/** Loopback, private, shared (CGNAT), link-local, multicast, reserved and documentation ranges. */
function isPrivateIpv4([a = 0, b = 0, c = 0]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    a >= 224 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  );
}

/** The eight 16-bit groups of an IPv6 literal as the URL parser writes it (compressed, maybe with a dotted tail). */
function ipv6Groups(host: string): number[] | null {
  let text = host;
  const tail = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (tail) {
    const v4 = ipv4Parts(tail[1]!);
    if (!v4) return null;
    text = `${text.slice(0, -tail[1]!.length)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const [head, rest] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = rest ? rest.split(":") : [];
  const missing = 8 - left.length - right.length;
  if (rest === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<string>(rest === undefined ? 0 : missing).fill("0"), ...right].map((g) =>
    parseInt(g, 16),
  );
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

function isPrivateIpv6(g: number[]): boolean {
  const embedded = (hi: number, lo: number) => isPrivateIpv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeros(8)) return true; // ::
  if (zeros(7) && g[7] === 1) return true; // ::1
  if (zeros(5) && g[5] === 0xffff) return embedded(g[6]!, g[7]!); // ::ffff:a.b.c.d (mapped)
  if (zeros(4) && g[4] === 0xffff && g[5] === 0) return embedded(g[6]!, g[7]!); // ::ffff:0:a.b.c.d (translated)
  if (zeros(6)) return embedded(g[6]!, g[7]!); // ::a.b.c.d (compatible, deprecated)
  if (g[0] === 0x64 && g[1] === 0xff9b) return embedded(g[6]!, g[7]!); // NAT64, well-known and local-use (:1::/48)
  if (g[0] === 0x2002) return embedded(g[1]!, g[2]!); // 6to4
  if (g[0] === 0x2001 && g[1] === 0) return true; // Teredo: a tunnel to an IPv4 host (obfuscated), never an API
  if ((g[4] === 0 || g[4] === 0x200) && g[5] === 0x5efe) return embedded(g[6]!, g[7]!); // ISATAP
  const first = g[0]!;
  return (
    (first & 0xfe00) === 0xfc00 || // fc00::/7 unique local
    (first & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (first & 0xffc0) === 0xfec0 || // fec0::/10 site-local
    (first & 0xff00) === 0xff00 || // multicast
    (first === 0x100 && zeros(4)) || // discard-only
    (first === 0x2001 && g[1] === 0xdb8) // documentation
  );
}

/** True for hosts a public gateway must never call: private/loopback/link-local addresses and local-only names. */
export function isPrivateHost(hostname: string): boolean {
  // Any number of trailing dots names the same host (`localhost..`); an empty label names none we should call.
  const host = hostname.toLowerCase().replace(/\.+$/, "");
  if (host.includes("..") || host.startsWith(".")) return true;
  if (host.startsWith("[") && host.endsWith("]")) {
    const groups = ipv6Groups(host.slice(1, -1));
    return groups === null || isPrivateIpv6(groups);
  }
  const v4 = ipv4Parts(host);
  if (v4) return isPrivateIpv4(v4);
  if (!host.includes(".") || host === "localhost") return true;
  return PRIVATE_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

/** GATEWAY_ALLOWED_HOSTS: `host`, `*.suffix` (https, public) or an exact origin `scheme://host:port` (anything). */
export function parseAllowList(value: string | undefined) {
  const entries = (value ?? "")
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((e) => e.toLowerCase());
  return {
    any: entries.length === 0,
    origins: new Set(
      entries.filter((e) => e.includes("://")).flatMap((e) => (URL.canParse(e) ? [new URL(e).origin] : [])),
    ),
    hosts: entries.filter((e) => !e.includes("://")),
  };
}

const hostMatches = (pattern: string, host: string) =>
  pattern.startsWith("*.") ? host.endsWith(pattern.slice(1)) : host === pattern;

/**
 * The provider APIs any key may target when the operator set no allow-list: OpenAI, Anthropic and the
 * OpenAI-compatible APIs docs/gateway.md lists (their API hosts, not whole domains).
 */
export const KNOWN_PROVIDER_HOSTS = [
  "api.openai.com",
  "*.openai.azure.com",
  "api.anthropic.com",
  "api.groq.com",
  "api.together.xyz",
  "api.together.ai",
  "openrouter.ai",
  "api.mistral.ai",
  "api.deepseek.com",
  "api.fireworks.ai",
  "api.x.ai",
  "api.cerebras.ai",
  "api.perplexity.ai",
  "api.cohere.ai",
  "api.cohere.com",
  "api.moonshot.ai",
  "api.moonshot.cn",
  "api.novita.ai",
  "generativelanguage.googleapis.com",
];

/**
 * Validates WatchLLM-Target-URL and returns the upstream base (no trailing slash). `keyKind`: the caller's WatchLLM
 * key; without an allow-list, only a secret key may target hosts beyond the known providers.
 */
export function checkTarget(raw: string | undefined, allowList: string | undefined, keyKind: string): Target {
  if (!raw)
    throw new GatewayError(
      "watchllm_missing_target",
      "Send the provider's base URL as `WatchLLM-Target-URL: https://host/v1`.",
    );
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new GatewayError("watchllm_invalid_target", "WatchLLM-Target-URL is not a valid URL.");
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new GatewayError(
      "watchllm_invalid_target",
      "WatchLLM-Target-URL must be a base URL without credentials, query or fragment.",
    );
  }
  const allowed = parseAllowList(allowList);
  const host = url.hostname.toLowerCase().replace(/\.+$/, "");
  const base = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  if (allowed.origins.has(url.origin)) return { base, provider: providerOf(host) };
  if (url.protocol !== "https:")
    throw new GatewayError("watchllm_target_refused", "WatchLLM-Target-URL must use https.");
  if (isPrivateHost(host))
    throw new GatewayError("watchllm_target_refused", "WatchLLM-Target-URL must be a public host.", { host });
  if (!allowed.any && !allowed.hosts.some((p) => hostMatches(p, host))) {
    throw new GatewayError(
      "watchllm_target_refused",
      "This WatchLLM instance does not allow that target host (GATEWAY_ALLOWED_HOSTS).",
      { host },
    );
  }
  if (allowed.any && keyKind !== "secret" && !KNOWN_PROVIDER_HOSTS.some((p) => hostMatches(p, host))) {
    throw new GatewayError(
      "watchllm_target_refused",
      "With an ingest key, WatchLLM-Target-URL must be a known provider's API; other hosts need a secret key or the operator's GATEWAY_ALLOWED_HOSTS.",
      { host },
    );
  }
  return { base, provider: providerOf(host) };
}

/** Hosts of OpenAI-compatible APIs → the provider names of the price table. */
const PROVIDER_HOSTS: Array<[RegExp, string]> = [
  [/(^|\.)openai\.azure\.com$/, "azure"],
  [/(^|\.)openai\.com$/, "openai"],
  [/(^|\.)anthropic\.com$/, "anthropic"],
  [/(^|\.)groq\.com$/, "groq"],
  [/(^|\.)together\.(xyz|ai)$/, "together"],
  [/(^|\.)openrouter\.ai$/, "openrouter"],
  [/(^|\.)mistral\.ai$/, "mistral"],
  [/(^|\.)deepseek\.com$/, "deepseek"],
  [/(^|\.)fireworks\.ai$/, "fireworks"],
  [/(^|\.)x\.ai$/, "x-ai"],
  [/(^|\.)cerebras\.ai$/, "cerebras"],
  [/(^|\.)perplexity\.ai$/, "perplexity"],
  [/(^|\.)cohere\.(ai|com)$/, "cohere"],
  [/(^|\.)moonshot\.(ai|cn)$/, "moonshotai"],
  [/(^|\.)novita\.ai$/, "novita"],
  [/(^|\.)googleapis\.com$/, "google"],
];

/** The provider name for a host: a known API's, else the host itself. */
export function providerOf(host: string): string {
  return PROVIDER_HOSTS.find(([pattern]) => pattern.test(host))?.[1] ?? host;
}
