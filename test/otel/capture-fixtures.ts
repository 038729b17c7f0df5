// `npm run otel:fixtures`: runs every library scenario once against a local recorder and saves each OTLP request it
// sent (content type + body) under test/otel/fixtures/, for the table-driven mapping tests.
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { gunzipSync } from "node:zlib";
import { runLangfuse, runOpenInference, runOtlpExporter, runVercelAi } from "./scenarios.ts";

type Captured = { path: string; contentType: string; authorization: string; body: string };
let captured: Captured[] = [];

const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let body = Buffer.concat(chunks);
  if (req.headers["content-encoding"] === "gzip") body = gunzipSync(body);
  const contentType = String(req.headers["content-type"] ?? "");
  const json = contentType.includes("json");
  captured.push({
    path: req.url ?? "",
    contentType,
    authorization: String(req.headers.authorization ?? "").split(" ")[0] ?? "",
    body: json ? body.toString("utf8") : body.toString("base64"),
  });
  res.writeHead(200, { "Content-Type": json ? "application/json" : "application/x-protobuf" });
  res.end(json ? "{}" : "");
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
const target = { base, headers: { Authorization: "Bearer wl_ingest_fixture" } };

const dir = new URL("./fixtures/", import.meta.url);
mkdirSync(dir, { recursive: true });
const runs: Record<string, () => Promise<unknown>> = {
  "otlp-json": () => runOtlpExporter(target, "json"),
  "otlp-proto": () => runOtlpExporter(target, "protobuf"),
  "vercel-legacy": () => runVercelAi(target, "legacy"),
  "vercel-semconv": () => runVercelAi(target, "semconv"),
  openinference: () => runOpenInference(target),
  langfuse: () => runLangfuse({ ...target, publicKey: "pk-lf-fixture", secretKey: "sk-lf-fixture" }),
};
for (const [name, run] of Object.entries(runs)) {
  captured = [];
  await run();
  writeFileSync(new URL(`${name}.json`, dir), `${JSON.stringify(captured, null, 1)}\n`);
  console.log(`${name}: ${captured.length} request(s)`);
}
server.close();
