// An empty project's first page: its ingest key, an SDK snippet and a curl, and a live check for the first event.
import { Copy } from "../components/Copy.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { api } from "../lib/api.ts";
import { lazy } from "../lib/lazy.tsx";
import { useAction, useApi } from "../lib/use-api.ts";
import { freshKeys, rememberKey } from "../state/session.ts";

// A new project's keys: loaded on use (ui/pages/chunks/on-use.ts says why).
const NewKeys = lazy(() => import("./chunks/on-use.ts").then((m) => m.NewKeys));

export function Onboarding({ project, onFirstEvent }: { project: string; onFirstEvent: () => void }) {
  // Polls every 2 s until the first event arrives (then stops: the page offers to open the traces).
  const info = useApi(`/api/projects/${project}`, { pollMs: 2000 });
  const received = info.data.value?.has_events === true;
  const action = useAction();
  const fresh = freshKeys.value[project];
  const key = fresh?.ingest;
  const shown = key ?? "<your ingest key>";
  const origin = location.origin;
  const curl = `curl -X POST ${origin}/api/v1/events \\\n  -H "Authorization: Bearer ${shown}" -H "Content-Type: application/json" \\\n  -d '{"events":[{"event_id":"${crypto.randomUUID()}","trace_id":"hello-trace","type":"log","name":"hello","timestamp":${Date.now()},"body":{"message":"first event"}}]}'`;
  const sdk = `import { createClient } from "watchllm";\n\nconst watchllm = createClient({ apiKey: "${shown}", baseUrl: "${origin}" });\nconst trace = watchllm.trace({ name: "my-agent", userId: "user-123" });\ntrace.modelResponse({ model: "gpt-4o", input, output, usage: { input_tokens: 812, output_tokens: 96 } });\nawait watchllm.flush();`;
  return (
    <section class="onboarding">
      <h1>Send your first event</h1>
      <div class={`status ${received ? "ok" : "waiting"}`} role="status" data-testid="first-event">
        {received ? "✓ First event received" : "Waiting for the first event…"}
        {received && (
          <button type="button" class="primary" onClick={onFirstEvent}>
            Open traces
          </button>
        )}
      </div>
      <ErrorNote error={info.error} />
      <ErrorNote error={action.error} />
      <h2>1. Your keys</h2>
      {fresh?.secret ? (
        <NewKeys project={project} keys={fresh} />
      ) : key ? (
        <Copy value={key} label="Ingest key" />
      ) : (
        <p>
          Keys are shown once.{" "}
          <button
            type="button"
            disabled={action.busy.value}
            onClick={() =>
              action.run(async (init) => {
                const res = await api(`/api/projects/${project}/keys`, {
                  method: "POST",
                  ...init,
                  json: { kind: "ingest", name: "Onboarding" },
                });
                rememberKey(project, "ingest", res.key.key);
              })
            }
          >
            Create an ingest key
          </button>
        </p>
      )}
      <h2>2. With the SDK</h2>
      <pre>
        <code>{sdk}</code>
      </pre>
      <h2>3. Or with curl</h2>
      <pre>
        <code>{curl}</code>
      </pre>
    </section>
  );
}
