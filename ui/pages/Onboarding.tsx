// An empty project's first page: its ingest key, an SDK snippet and a curl, and a live check for the first event.
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { api } from "../api.ts";
import { Copy } from "../components/Copy.tsx";
import { freshKeys, rememberKey } from "../state/session.ts";

type ProjectInfo = { has_events: boolean };

export function Onboarding({ project, onFirstEvent }: { project: string; onFirstEvent: () => void }) {
  const received = useSignal(false);
  useEffect(() => {
    let live = true;
    const poll = async () => {
      const info = await api<ProjectInfo>(`/api/projects/${project}`).catch(() => null);
      if (!live) return;
      if (info?.has_events) received.value = true;
      else setTimeout(poll, 2000);
    };
    void poll();
    return () => {
      live = false;
    };
  }, [project]);
  const key = freshKeys.value[project]?.ingest;
  const shown = key ?? "<your ingest key>";
  const origin = location.origin;
  const curl = `curl -X POST ${origin}/api/v1/events \\\n  -H "Authorization: Bearer ${shown}" -H "Content-Type: application/json" \\\n  -d '{"events":[{"event_id":"${crypto.randomUUID()}","trace_id":"hello-trace","type":"log","name":"hello","timestamp":${Date.now()},"body":{"message":"first event"}}]}'`;
  const sdk = `import { createClient } from "watchllm";\n\nconst watchllm = createClient({ apiKey: "${shown}", baseUrl: "${origin}" });\nconst trace = watchllm.trace({ name: "my-agent", userId: "user-123" });\ntrace.modelResponse({ model: "gpt-4o", input, output, usage: { input_tokens: 812, output_tokens: 96 } });\nawait watchllm.flush();`;
  return (
    <section class="onboarding">
      <h1>Send your first event</h1>
      <div class={`status ${received.value ? "ok" : "waiting"}`} role="status" data-testid="first-event">
        {received.value ? "✓ First event received" : "Waiting for the first event…"}
        {received.value && (
          <button type="button" class="primary" onClick={onFirstEvent}>
            Open traces
          </button>
        )}
      </div>
      <h2>1. Your ingest key</h2>
      {key ? (
        <Copy value={key} label="Ingest key" />
      ) : (
        <p>
          Keys are shown once.{" "}
          <button
            type="button"
            onClick={async () => {
              const res = await api<{ key: { key: string } }>(`/api/projects/${project}/keys`, {
                json: { kind: "ingest", name: "Onboarding" },
              });
              rememberKey(project, "ingest", res.key.key);
            }}
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
