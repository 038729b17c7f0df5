// Who may use the gateway and where it may go: WatchLLM-Auth is checked before anything is forwarded, and the
// generic route refuses targets that aren't public https (SSRF) or that the operator's allow-list excludes.
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import {
  asOwner,
  base,
  newProject,
  type Project,
  providerKey,
  rejection,
  storedEvent,
  upstream,
  upstreamRequests,
  waitFor,
  watchllm,
} from "./helpers.ts";

let project: Project;
beforeAll(async () => {
  project = await newProject();
});

const chat = { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] };
const post = (path: string, headers: Record<string, string>, body: unknown = chat) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("gateway authentication", () => {
  it("refuses a call without WatchLLM-Auth with a 401 in WatchLLM's shape, without calling the upstream", async () => {
    const key = providerKey("no-auth");
    const client = new OpenAI({ apiKey: key, baseURL: `${base}/gateway/openai/v1`, maxRetries: 0 });
    const err = await rejection<InstanceType<typeof OpenAI.APIError>>(
      client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] }),
    );
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.error).toEqual({
      code: "watchllm_missing_auth",
      message: expect.stringContaining("WatchLLM-Auth: Bearer"),
      details: null,
    });
    expect(await upstreamRequests(key)).toEqual([]);
  });

  it("refuses an unknown key and a key sent the provider's way, without calling the upstream", async () => {
    const key = providerKey("bad-auth");
    const unknown = await post("/gateway/openai/v1/chat/completions", {
      Authorization: `Bearer ${key}`,
      "WatchLLM-Auth": "Bearer wl_ingest_not-a-key",
    });
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("watchllm_invalid_auth");
    const malformed = await post("/gateway/openai/v1/chat/completions", {
      Authorization: `Bearer ${key}`,
      "WatchLLM-Auth": project.ingestKey,
    });
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe("watchllm_missing_auth");
    expect(await upstreamRequests(key)).toEqual([]);
  });

  it("accepts the secret key as well as the ingest key", async () => {
    const key = providerKey("secret-key");
    const res = await post("/gateway/openai/v1/chat/completions", {
      Authorization: `Bearer ${key}`,
      ...watchllm(project.secretKey),
    });
    expect(res.status).toBe(200);
    const event = await storedEvent(project.projectId, res.headers.get("WatchLLM-Event-Id")!);
    expect(event.model).toBe("gpt-4o-mini-2024-07-18");
  });

  it("refuses a revoked key at once when this isolate hasn't seen it, and within 60 s when it has", async () => {
    const fresh = await asOwner(project, "POST", `/api/projects/${project.projectId}/keys`, {
      kind: "ingest",
      name: "revoke-me",
    });
    const used = await asOwner(project, "POST", `/api/projects/${project.projectId}/keys`, {
      kind: "ingest",
      name: "revoke-me-later",
    });
    const key = providerKey("revoked");
    const call = (watchllmKey: string) =>
      post("/gateway/openai/v1/chat/completions", { Authorization: `Bearer ${key}`, ...watchllm(watchllmKey) });
    expect((await call(used.body.key.key)).status).toBe(200);

    for (const k of [fresh, used])
      expect(
        (await asOwner(project, "DELETE", `/api/projects/${project.projectId}/keys/${k.body.key.id}`)).status,
      ).toBe(200);
    const first = await call(fresh.body.key.key);
    expect(first.status).toBe(401);
    expect(((await first.json()) as { error: { code: string } }).error.code).toBe("watchllm_revoked_auth");

    const revokedAt = Date.now();
    await waitFor(
      async () => (await call(used.body.key.key)).status,
      (status) => status === 401,
      { timeoutMs: 60_000 },
    );
    expect(Date.now() - revokedAt).toBeLessThan(60_000);
  }, 90_000);

  it("refuses invalid WatchLLM-* headers before calling the upstream", async () => {
    const key = providerKey("bad-header");
    for (const [name, value] of [
      ["WatchLLM-Cache-TTL", "0"],
      ["WatchLLM-Cache-TTL", String(8 * 86_400)],
      ["WatchLLM-Cache", "maybe"],
      ["WatchLLM-Trace-Id", "x".repeat(129)],
    ]) {
      const res = await post("/gateway/openai/v1/chat/completions", {
        Authorization: `Bearer ${key}`,
        ...watchllm(project.ingestKey, { [name!]: value! }),
      });
      expect(res.status).toBe(400);
      // The header named as documented, whichever it is.
      expect(((await res.json()) as { error: { code: string; details: { header: string } } }).error).toMatchObject({
        code: "watchllm_invalid_header",
        details: { header: name },
      });
    }
    expect(await upstreamRequests(key)).toEqual([]);
  });

  it("answers unknown gateway paths with a watchllm_ 404 and browser preflights with CORS", async () => {
    const res = await fetch(`${base}/gateway/nope`, { headers: watchllm(project.ingestKey) });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("watchllm_not_found");
    const preflight = await fetch(`${base}/gateway/openai/v1/chat/completions`, {
      method: "OPTIONS",
      headers: {
        Origin: "https://app.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, watchllm-auth, content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toBe("authorization, watchllm-auth, content-type");
  });
});

describe("gateway targets (/gateway/v1 with WatchLLM-Target-URL)", () => {
  it("forwards to an OpenAI-compatible base URL on the operator's allow-list", async () => {
    const key = providerKey("generic");
    const client = new OpenAI({
      apiKey: key,
      baseURL: `${base}/gateway/v1`,
      maxRetries: 0,
      defaultHeaders: watchllm(project.ingestKey, { "WatchLLM-Target-URL": `${upstream}/v1` }),
    });
    const { data, response } = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe("Hello from the fake upstream.");
    const [seen] = await upstreamRequests(key);
    expect(seen!.path).toBe("/v1/chat/completions");
    expect(seen!.headers["watchllm-target-url"]).toBeUndefined();
    const event = await storedEvent(project.projectId, response.headers.get("WatchLLM-Event-Id")!);
    expect(event).toMatchObject({ provider: "127.0.0.1", model: "gpt-4o-mini-2024-07-18", input_tokens: 12 });
  });

  const refused: Array<[string, string]> = [
    ["http://api.groq.com/openai/v1", "watchllm_target_refused"], // not https
    ["https://127.0.0.1/v1", "watchllm_target_refused"],
    ["https://2130706433/v1", "watchllm_target_refused"], // 127.0.0.1 as one number
    ["https://0x7f.1/v1", "watchllm_target_refused"], // and in hex
    ["https://10.1.2.3/v1", "watchllm_target_refused"],
    ["https://172.16.0.1/v1", "watchllm_target_refused"],
    ["https://192.168.1.1/v1", "watchllm_target_refused"],
    ["https://169.254.169.254/latest/meta-data", "watchllm_target_refused"], // cloud metadata
    ["https://100.64.0.1/v1", "watchllm_target_refused"],
    ["https://[::1]/v1", "watchllm_target_refused"],
    ["https://[fd12:3456::1]/v1", "watchllm_target_refused"],
    ["https://[fe80::1]/v1", "watchllm_target_refused"],
    ["https://[::ffff:127.0.0.1]/v1", "watchllm_target_refused"],
    ["https://localhost/v1", "watchllm_target_refused"],
    ["https://api.localhost/v1", "watchllm_target_refused"],
    ["https://metadata.google.internal/v1", "watchllm_target_refused"],
    ["https://intranet/v1", "watchllm_target_refused"],
    ["https://api.openai.com/v1", "watchllm_target_refused"], // public, but not on this instance's allow-list
    ["https://user:pass@api.groq.com/openai/v1", "watchllm_invalid_target"],
    ["not a url", "watchllm_invalid_target"],
  ];
  it.each(refused)("refuses %s (%s)", async (target, code) => {
    const res = await post("/gateway/v1/chat/completions", {
      Authorization: "Bearer sk-ssrf",
      ...watchllm(project.ingestKey, { "WatchLLM-Target-URL": target }),
    });
    expect(res.status).toBe(code === "watchllm_target_refused" ? 403 : 400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it("answers 502 in WatchLLM's shape when the upstream can't be reached, and records the failed call", async () => {
    const res = await post("/gateway/v1/chat/completions", {
      Authorization: "Bearer sk-unreachable",
      ...watchllm(project.ingestKey, { "WatchLLM-Target-URL": "http://127.0.0.1:1/v1" }),
    });
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("watchllm_upstream_unreachable");
    const event = await storedEvent(project.projectId, res.headers.get("WatchLLM-Event-Id")!);
    expect(event).toMatchObject({ type: "model_response", status: "error", model: "gpt-4o-mini" });
    expect(event.contextJson.metadata.error).toMatch(/^upstream unreachable/);
  });

  it("asks for WatchLLM-Target-URL when it is missing", async () => {
    const res = await post("/gateway/v1/chat/completions", watchllm(project.ingestKey));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("watchllm_missing_target");
  });
});
