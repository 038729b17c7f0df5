// A scratch WatchLLM instance for end-to-end tests in other languages (the Python SDK's pytest suite): migrated local
// D1 in a temp folder, `wrangler dev` with open sign-up on a free port, one signed-up user. Prints one JSON line
// `{base, ingest_key, secret_key, project_id}` on stdout, then runs until its stdin closes or it gets SIGTERM/SIGINT.
import { signUpOn, startScratchInstance } from "./dev-server.ts";

const server = await startScratchInstance("e2e", { immediateBatches: true });

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop(0));
process.stdin.on("end", () => void stop(0));
process.stdin.on("error", () => void stop(0));
process.stdin.resume();
server.process.on("exit", () => void stop(1));

try {
  const { keys, project } = await signUpOn(server.base, "E2E");
  const line = { base: server.base, ingest_key: keys.ingest, secret_key: keys.secret, project_id: project.id };
  process.stdout.write(`${JSON.stringify(line)}\n`);
} catch (err) {
  console.error(err);
  await stop(1);
}
