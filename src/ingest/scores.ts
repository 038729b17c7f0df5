// The one door for scores from every way in (POST /api/v1/scores, Langfuse, OTel): validate against the contract,
// the caller's allowed sources and the project's configs, then put the good ones on the queue.
import { controlDb } from "../db/client.ts";
import { projectScoreConfigs } from "../db/queries/scores.ts";
import type { Bindings } from "../env.ts";
import { type ScoreAuthor, validateScores } from "../scores/validate.ts";
import { enqueueEvents } from "./enqueue.ts";

/** Validates wire scores for a project (its configs read once); the rejections carry each item's index and reason. */
export async function checkScores(env: Bindings, projectId: string, items: unknown[], author: ScoreAuthor) {
  if (!items.length) return { scores: [], rejected: [] };
  return validateScores(items, author, await projectScoreConfigs(controlDb(env.DB), projectId));
}

/** Validates and enqueues. */
export async function acceptScores(env: Bindings, projectId: string, items: unknown[], author: ScoreAuthor) {
  const checked = await checkScores(env, projectId, items, author);
  if (checked.scores.length) await enqueueEvents(env, projectId, [], [], checked.scores);
  return checked;
}
