// Where a notification may go: public https only (the gateway's SSRF guard: no private, loopback, link-local or
// metadata hosts); locally (`npm start`, LOCAL_MODE) also http://127.0.0.1 so a local receiver can be tested.
import { isPrivateHost } from "../gateway/target.ts";

/** Why a channel URL is refused, or null when it may be called. */
export function refusedDestination(raw: string, env: { LOCAL_MODE?: string }): string | null {
  if (!URL.canParse(raw)) return "not a valid URL";
  const url = new URL(raw);
  if (url.username || url.password) return "must not carry credentials";
  if (env.LOCAL_MODE === "true" && url.protocol === "http:" && url.hostname === "127.0.0.1") return null;
  if (url.protocol !== "https:") return "must use https";
  if (isPrivateHost(url.hostname)) return "must be a public host (no private, loopback or link-local addresses)";
  return null;
}
