// /api/v1/scores: POST a batch of scores (secret key, or the browser-safe ingest key for end-user feedback), the
// filtered list, and the per-name summary over time buckets (secret key or session).
import { Hono } from "hono";
import { z } from "zod";
import { LIMITS } from "../../contract/limits.ts";
import { SCORE_LIMITS, scoreIngestRequest, scoreListParams, scoreSummaryParams } from "../../contract/scores.ts";
import { bearerToken, findKey, touchKey } from "../auth/keys.ts";
import { projectAccess, projectData } from "../auth/middleware.ts";
import { controlDb } from "../db/client.ts";
import { BUCKET_MS, scoreListQuery, scoreSummaryQuery } from "../db/queries/scores.ts";
import type { AppEnv } from "../env.ts";
import { acceptScores } from "../ingest/scores.ts";
import { answer } from "../lib/answer.ts";
import { readJsonBody } from "../lib/body.ts";
import { paginate } from "../lib/cursor.ts";
import { ApiError } from "../lib/errors.ts";
import { ingestCors } from "../lib/ingest-cors.ts";
import { DAY_MS } from "../lib/time.ts";
import { valid } from "../lib/validate.ts";
import { scoreView, summaryRows } from "../scores/views.ts";

export const scoresRoute = new Hono<AppEnv>()
  // Open to any origin like the other ways in (keys travel in headers or the body, never cookies).
  .use(ingestCors)
  .post("/", async (c) => {
    const payload = await readJsonBody(c.req.raw, LIMITS.maxRequestBytes);
    const parsed = z.union([z.array(z.unknown()), scoreIngestRequest]).safeParse(payload);
    const bodyKey = parsed.success && !Array.isArray(parsed.data) ? parsed.data.api_key : undefined;
    const db = controlDb(c.env.DB);
    const key = await findKey(db, bearerToken(c.req.header("Authorization")) ?? c.req.query("api_key") ?? bodyKey);
    if (!parsed.success)
      throw new ApiError("invalid_request", 'Send `{ "scores": [...] }`.', z.treeifyError(parsed.error));
    const items = Array.isArray(parsed.data) ? parsed.data : parsed.data.scores;
    if (!items.length) throw new ApiError("empty_batch", "The batch has no scores.");
    if (items.length > SCORE_LIMITS.maxScoresPerRequest) {
      throw new ApiError("too_many_scores", `At most ${SCORE_LIMITS.maxScoresPerRequest} scores per request.`, {
        max_scores: SCORE_LIMITS.maxScoresPerRequest,
        received: items.length,
      });
    }
    const { scores, rejected } = await acceptScores(c.env, key.projectId, items, { kind: key.kind, id: key.id });
    if (!scores.length)
      throw new ApiError("invalid_request", `No score in the batch is valid (first: ${rejected[0]?.message}).`, {
        accepted: 0,
        rejected,
      });
    c.executionCtx.waitUntil(touchKey(db, key));
    return answer(c, "POST /api/v1/scores", { accepted: scores.length, rejected }, 202);
  })
  .get("/", projectAccess("viewer", "read scores"), valid("query", scoreListParams), async (c) => {
    const params = c.req.valid("query");
    const rows = await scoreListQuery(projectData(c), c.var.project.projectId, params);
    const page = paginate(rows, params.limit, (s) => [s.ts, s.scoreId]);
    return answer(c, "GET /api/v1/scores", { scores: page.items.map(scoreView), next_cursor: page.next_cursor });
  })
  .get("/summary", projectAccess("viewer", "read scores"), valid("query", scoreSummaryParams), async (c) => {
    const params = c.req.valid("query");
    const size = BUCKET_MS[params.bucket];
    const to = params.to ?? Date.now();
    const from = Math.floor((params.from ?? to - 7 * DAY_MS) / size) * size;
    if (from >= to) throw new ApiError("invalid_request", "`from` must be before `to`.");
    const groups = await scoreSummaryQuery(projectData(c), c.var.project.projectId, from, to, params);
    return answer(c, "GET /api/v1/scores/summary", { bucket: params.bucket, from, to, rows: summaryRows(groups) });
  });
