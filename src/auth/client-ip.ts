// The client's IP, for rate limits. Behind Cloudflare the edge sets CF-Connecting-IP and overwrites any value a client
// sends, so it is trusted only when TRUST_CF_CONNECTING_IP is "true" (the deployed default in wrangler.toml). Locally
// (`npm start`) requests don't pass through Cloudflare, anyone could send the header, and every client is "unknown".
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";

export function clientIp(c: Context<AppEnv>): string {
  if (c.env.TRUST_CF_CONNECTING_IP !== "true") return "unknown";
  return c.req.header("CF-Connecting-IP")?.trim() || "unknown";
}
