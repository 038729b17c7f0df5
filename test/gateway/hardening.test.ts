// What the gateway keeps to itself and refuses: browser headers never reach the upstream, the upstream's cookies and
// redirects never reach the client as they are, the cache keys on every credential, and ids with control characters
// are refused before anything is forwarded.
import { beforeAll, describe, expect, it } from "vitest";
import { base, newProject, type Project, providerKey, storedEvent, upstreamRequests, watchllm } from "./helpers.ts";

let project: Project;
beforeAll(async () => {
  project = await newProject();
});

const chat = { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] };
const call = (key: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/gateway/openai/v1/chat/completions`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${key}`,
      ...watchllm(project.ingestKey),
      ...headers,
    },
    body: JSON.stringify(chat),
  });
type ErrorAnswer = { error: { code: string; message: string; details: Record<string, unknown> } };

describe("gateway hardening", () => {
  it("never forwards the caller's Cookie (a WatchLLM session), Referer or Origin", async () => {
    const key = providerKey("browser-headers");
    const res = await call(key, {
      Cookie: "wl_session=secret-session",
      Referer: "https://app.example/page",
      Origin: "https://app.example",
    });
    expect(res.status).toBe(200);
    const [seen] = await upstreamRequests(key);
    expect(seen!.headers.cookie).toBeUndefined();
    expect(seen!.headers.referer).toBeUndefined();
    expect(seen!.headers.origin).toBeUndefined();
  });

  it("never passes the upstream's Set-Cookie to the client", async () => {
    const res = await call(providerKey("set-cookie"), { "X-Fake-Scenario": "set-cookie" });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("turns an upstream redirect into an error naming the location, without a Location header", async () => {
    const res = await call(providerKey("redirect"), { "X-Fake-Scenario": "redirect" });
    expect(res.status).toBe(502);
    expect(res.headers.get("location")).toBeNull();
    const { error } = (await res.json()) as ErrorAnswer;
    expect(error).toMatchObject({
      code: "watchllm_upstream_redirect",
      details: { status: 302, location: "https://elsewhere.example/v1/chat/completions" },
    });
    const event = await storedEvent(project.projectId, res.headers.get("WatchLLM-Event-Id")!);
    expect(event.status).toBe("error");
  });

  it("keys the cache on every credential header: another X-Portkey-Api-Key or Cookie is a miss", async () => {
    const key = providerKey("cache-credentials");
    const cached = (headers: Record<string, string>) => call(key, { "WatchLLM-Cache": "true", ...headers });
    const first = await cached({ "X-Portkey-Api-Key": "victim", Cookie: "a=1" });
    expect(first.headers.get("WatchLLM-Cache")).toBe("MISS");
    await storedEvent(project.projectId, first.headers.get("WatchLLM-Event-Id")!);
    expect((await cached({ "X-Portkey-Api-Key": "victim", Cookie: "a=1" })).headers.get("WatchLLM-Cache")).toBe("HIT");
    expect((await cached({ "X-Portkey-Api-Key": "someone-else", Cookie: "a=1" })).headers.get("WatchLLM-Cache")).toBe(
      "MISS",
    );
    expect((await cached({ "X-Portkey-Api-Key": "victim", Cookie: "a=2" })).headers.get("WatchLLM-Cache")).toBe("MISS");
  });

  it.each(["WatchLLM-Trace-Id", "WatchLLM-Parent-Id"])(
    "refuses a tab inside %s with 400, forwarding nothing",
    async (name) => {
      const key = providerKey("tab");
      const res = await call(key, { [name]: "trace\tid" });
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorAnswer).error).toMatchObject({
        code: "watchllm_invalid_header",
        details: { header: name },
      });
      expect(await upstreamRequests(key)).toEqual([]);
    },
  );
});
