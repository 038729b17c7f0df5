// What the parity tests share: each way in records the same calls into a project of its own, and the stored events are
// compared on what must be the same whichever way a call came in.
import { newProject, type Project, query, type StoredRow, waitFor } from "./helpers.ts";

/** Makes the recorded calls through one way in, recording into `project`. */
export type Caller = (project: Project) => Promise<void>;

/** The fields every way in must store alike: type, status, provider, model, tokens, cost, the stream flag. */
export const storedAlike = (row: StoredRow) => ({
  type: row.type,
  status: row.status,
  provider: row.provider,
  model: row.model,
  input_tokens: row.input_tokens,
  output_tokens: row.output_tokens,
  cached_input_tokens: row.cached_input_tokens,
  cost_usd: Number((row.cost_usd as number).toPrecision(9)),
  stream: row.first_token_ms !== null,
});

/**
 * Runs every way's calls at once, each into a new project, and waits for `count` model calls stored per way; answers
 * each way's stored rows, oldest first. A way that stores too few fails with what it stored.
 */
export async function recordEachWay<W extends string>(
  callers: Record<W, Caller>,
  count: number,
): Promise<Record<W, StoredRow[]>> {
  const ways = Object.keys(callers) as W[];
  const rows = await Promise.all(
    ways.map(async (way) => {
      const project = await newProject();
      await callers[way](project);
      return waitFor(
        () =>
          query<StoredRow>(
            "SELECT * FROM events WHERE project_id = ? AND type = 'model_response' ORDER BY ts",
            project.projectId,
          ),
        (r) => r.length === count,
        { timeoutMs: 30_000, what: `${count} model calls recorded through ${way}` },
      ).catch(async (err) => {
        const all = await query(
          "SELECT event_id, parent_event_id, trace_id, ts, duration_ms, first_token_ms, input_tokens, substr(context, 1, 300) AS c FROM events WHERE project_id = ?",
          project.projectId,
        );
        throw new Error(`${err}\n${way} stored: ${JSON.stringify(all).slice(0, 3000)}`);
      });
    }),
  );
  return Object.fromEntries(ways.map((way, i) => [way, rows[i]!])) as Record<W, StoredRow[]>;
}
