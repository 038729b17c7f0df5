// Langfuse's score REST API: POST /api/public/scores (answers `{ id }`) and DELETE /api/public/scores/:id, as the
// `langfuse` clients call them (`langfuse.api.scoreCreate`, `scoreDelete`). Basic auth with a WatchLLM key in either
// slot; a score goes through the one queue like every other; deleting takes a secret key.
import { Hono } from "hono";
import { keyFromAuthorization, touchKey } from "../auth/keys.ts";
import { controlDb } from "../db/client.ts";
import { shardDatabase } from "../db/shards.ts";
import { deleteScore } from "../db/writes/scores.ts";
import type { AppEnv } from "../env.ts";
import { acceptScores } from "../ingest/scores.ts";
import { fromLangfuseScore } from "../langfuse/score.ts";
import { answer } from "../lib/answer.ts";
import { ApiError } from "../lib/errors.ts";

export const langfuseScoresRoute = new Hono<AppEnv>()
  .post("/", async (c) => {
    const db = controlDb(c.env.DB);
    const key = await keyFromAuthorization(db, c.req.header("Authorization"));
    const body = await c.req.json().catch(() => {
      throw new ApiError("invalid_json", "Request body is not valid JSON.");
    });
    const mapped = fromLangfuseScore(body, Date.now());
    if ("error" in mapped) throw new ApiError("invalid_request", mapped.error);
    const { scores, rejected } = await acceptScores(c.env, key.projectId, [mapped.score], {
      kind: key.kind,
      id: key.id,
    });
    if (!scores.length) throw new ApiError("invalid_request", rejected[0]?.message ?? "Invalid score.", { rejected });
    c.executionCtx.waitUntil(touchKey(db, key));
    return answer(c, "POST /api/public/scores", { id: scores[0]!.score_id });
  })
  .delete("/:score_id", async (c) => {
    // Only a secret key deletes here (a dashboard session deletes annotations under /api/projects).
    const header = c.req.header("Authorization");
    if (!header) throw new ApiError("forbidden", "Deleting scores takes a secret key.");
    const key = await keyFromAuthorization(controlDb(c.env.DB), header);
    if (key.kind !== "secret") throw new ApiError("forbidden", "Deleting scores takes a secret key.");
    const gone = await deleteScore(shardDatabase(c.env, key.shard), key.projectId, c.req.param("score_id"));
    if (!gone) throw new ApiError("not_found", "No such score.");
    return c.body(null, 204);
  });
