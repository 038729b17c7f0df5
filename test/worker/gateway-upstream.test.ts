// A local instance whose gateway upstream can't be reached says which variable sets it; a deployed one doesn't.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import { createProject } from "./fixtures.ts";

async function callUnreachable(vars: Partial<Env>) {
  const { ingestKey } = await createProject(`unreachable-${crypto.randomUUID()}`);
  const ctx = createExecutionContext();
  const res = await worker.fetch!(
    new Request("https://watchllm.test/gateway/openai/v1/chat/completions", {
      method: "POST",
      headers: { "WatchLLM-Auth": `Bearer ${ingestKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
    }) as Request<unknown, IncomingRequestCfProperties>,
    { ...env, OPENAI_UPSTREAM_URL: "http://127.0.0.1:1/v1", ...vars },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return {
    status: res.status,
    body: (await res.json()) as { error: { code: string; message: string; details: unknown } },
  };
}

describe("gateway upstream unreachable", () => {
  it("names OPENAI_UPSTREAM_URL on a local instance", async () => {
    const { status, body } = await callUnreachable({ LOCAL_MODE: "true" });
    expect(status).toBe(502);
    expect(body.error.code).toBe("watchllm_upstream_unreachable");
    expect(body.error.message).toContain("OPENAI_UPSTREAM_URL");
    expect(body.error.message).toContain("http://127.0.0.1:1/v1");
    expect(body.error.details).toEqual({ upstream: "http://127.0.0.1:1", variable: "OPENAI_UPSTREAM_URL" });
  });

  it("keeps the short message on a deployed instance", async () => {
    const { body } = await callUnreachable({ LOCAL_MODE: "false" });
    expect(body.error).toEqual({
      code: "watchllm_upstream_unreachable",
      message: "The upstream could not be reached.",
      details: { upstream: "http://127.0.0.1:1" },
    });
  });
});
