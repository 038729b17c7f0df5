// The one door for scores from every way in (POST /api/v1/scores, Langfuse, OTel): validate against the contract,
// the caller's allowed sources and the project's configs, then put the good ones on the queue.
import { database } from "../db/client.ts";
import { projectScoreConfigs } from "../db/queries/scores.ts";
import type { Bindings } from "../env.ts";
import { type ScoreAuthor, validateScores } from "../scores/validate.ts";
import { enqueueEvents } from "./enqueue.ts";

/** Validates and enqueues; the rejections say which items were refused and why. */
export async function acceptScores(env: Bindings, projectId: string, items: unknown[], author: ScoreAuthor) {
  const configs = await projectScoreConfigs(database(env.DB), projectId);
  const { scores, rejected } = await validateScores(items, author, configs);
  if (scores.length) await enqueueEvents(env, projectId, [], [], scores);
  return { scores, rejected };
}
