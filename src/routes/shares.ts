// Share links. /api/projects/:project/shares: members list and create links to one trace of the project; admins and a
// link's creator revoke it (audit-logged). /api/share/:token: the public read of the shared trace and of its events,
// nothing else; unknown, revoked and expired links answer 404, and each client is rate-limited per link.
import { type Context, Hono } from "hono";
import { SHARE_LIMITS } from "../../contract/limits.ts";
import { type SharedTraceAnswer, shareCreate, shareListParams } from "../../contract/shares.ts";
import type { TraceAnswer } from "../../contract/traces.ts";
import { actorOf, requireRole } from "../auth/access.ts";
import { clientIp } from "../auth/client-ip.ts";
import { projectAccess, projectData } from "../auth/middleware.ts";
import { readBody } from "../db/bodies.ts";
import { controlDb, dataDb } from "../db/client.ts";
import { traceScoresQuery, traceScoresVersion } from "../db/queries/scores.ts";
import { projectShare, projectShares } from "../db/queries/shares.ts";
import { findEvent, findTrace, treeDetail, treeEventsQuery } from "../db/queries/trace-events.ts";
import { shardDatabase } from "../db/shards.ts";
import { auditInsert } from "../db/writes/audit.ts";
import { shareInsert, shareRevoke } from "../db/writes/shares.ts";
import type { AppEnv } from "../env.ts";
import { answer } from "../lib/answer.ts";
import { storedId } from "../lib/bounded-id.ts";
import { ApiError } from "../lib/errors.ts";
import { valid } from "../lib/validate.ts";
import { scoreView } from "../scores/views.ts";
import { findShare, mintShare, sharePath, shareTokenHash, shareView } from "../shares/links.ts";
import { sharedFullEvent, sharedScore, sharedSummary, sharedTreeEvent } from "../shares/redact.ts";
import { traceAnswerText } from "../traces/cache.ts";
import { buildTree } from "../traces/tree.ts";
import { fullEventView, traceSummary, treeEventView } from "../traces/views.ts";

const RETRY_SECONDS = 60;

/** The links of a project (or of one of its traces), newest first, with their creators' names. */
const listShares = (c: Context<AppEnv>, traceId?: string) =>
  projectShares(controlDb(c.env.DB), c.var.project.projectId, traceId);

export const projectSharesRoute = new Hono<AppEnv>()
  .get("/:project/shares", projectAccess("member", "see share links"), valid("query", shareListParams), async (c) => {
    const rows = await listShares(c, c.req.valid("query").trace_id);
    return answer(c, "GET /api/projects/:project/shares", { shares: rows.map((r) => shareView(r.link, r.name)) });
  })
  .post("/:project/shares", projectAccess("member", "share traces"), valid("json", shareCreate), async (c) => {
    const input = c.req.valid("json");
    const { projectId, orgId } = c.var.project;
    if (!(await findTrace(projectData(c), projectId, input.trace_id)))
      throw new ApiError("not_found", "No such trace.", { trace_id: input.trace_id });
    const actor = actorOf(c);
    const { token, row } = await mintShare({
      projectId,
      traceId: input.trace_id,
      hideIo: input.hide_io,
      expiresInDays: input.expires_in_days,
      createdBy: actor,
    });
    const db = controlDb(c.env.DB);
    const [[stored]] = await db.batch([
      shareInsert(db, row),
      auditInsert(db, {
        orgId,
        projectId,
        actor,
        action: "share.created",
        target: input.trace_id,
        details: { share_id: row.id, hide_io: row.hideIo, expires_at: row.expiresAt },
      }),
    ]);
    const name = c.var.user ? c.var.user.name || c.var.user.email : null;
    return answer(
      c,
      "POST /api/projects/:project/shares",
      { share: { ...shareView(stored!, name), token, path: sharePath(token) } },
      201,
    );
  })
  .delete("/:project/shares/:share_id", projectAccess("member", "revoke share links"), async (c) => {
    const db = controlDb(c.env.DB);
    const { projectId, orgId, via, role } = c.var.project;
    const shareId = c.req.param("share_id");
    const found = await projectShare(db, projectId, shareId);
    if (!found) throw new ApiError("not_found", "No such share link.");
    const { link, name } = found;
    // A secret key is the project's owner system (as for deletions); a member revokes only the links they created.
    if (via === "session" && link.createdBy !== actorOf(c)) requireRole(role, "admin", "revoke others' share links");
    if (link.revokedAt !== null)
      return answer(c, "DELETE /api/projects/:project/shares/:share_id", { share: shareView(link, name) });
    const [[revoked]] = await db.batch([
      shareRevoke(db, projectId, shareId),
      auditInsert(db, {
        orgId,
        projectId,
        actor: actorOf(c),
        action: "share.revoked",
        target: link.traceId,
        details: { share_id: link.id, hide_io: link.hideIo },
      }),
    ]);
    return answer(c, "DELETE /api/projects/:project/shares/:share_id", { share: shareView(revoked!, name) });
  });

/** The live link of the request's token, after the client's rate check on it; sets nothing else. */
async function sharedLink(c: Context<AppEnv>) {
  const token = c.req.param("token") ?? "";
  const hash = await shareTokenHash(token.slice(0, 128));
  if (!(await c.env.SHARE_RATE_LIMIT.limit({ key: `${clientIp(c)}|${hash}` })).success) {
    throw new ApiError("rate_limited", `At most ${SHARE_LIMITS.readsPerMinute} reads of a link a minute.`, {
      retry_after_seconds: RETRY_SECONDS,
    });
  }
  // Search engines are asked to keep shared traces out of their results.
  c.header("X-Robots-Tag", "noindex, nofollow");
  const link = await findShare(controlDb(c.env.DB), token, hash);
  const db = dataDb(shardDatabase(c.env, link.shard));
  const trace = await findTrace(db, link.projectId, link.traceId);
  // A deleted trace's link finds nothing: the same answer as a link that never existed.
  if (!trace) throw new ApiError("not_found", "This shared link does not exist, or no longer works.");
  const about = { hide_io: link.hideIo, created_at: link.createdAt, expires_at: link.expiresAt };
  return { link, db, trace, about };
}

export const publicShareRoute = new Hono<AppEnv>()
  .get("/:token", async (c) => {
    const { link, db, trace, about } = await sharedLink(c);
    const hide = link.hideIo;
    const variant = `share.${hide ? "hidden" : "full"}.${await traceScoresVersion(db, trace.projectId, trace.traceId)}`;
    const text = await traceAnswerText(c, trace, variant, async () => {
      // With I/O hidden, no body or preview is even read.
      const detail = hide ? { inlineBytes: -1, previews: false } : treeDetail(trace.spanCount);
      const [rows, scores] = await Promise.all([
        treeEventsQuery(db, trace.projectId, trace.traceId, detail),
        traceScoresQuery(db, trace.projectId, trace.traceId),
      ]);
      return {
        trace: sharedSummary(traceSummary(trace), hide),
        events: buildTree(rows).map((e) => sharedTreeEvent(treeEventView(e), hide)),
        scores: scores.map((s) => sharedScore(scoreView(s), hide)),
      } satisfies TraceAnswer;
    });
    // The cached part is the trace's; what the link says about itself is put in front of it.
    // (A cache hit comes as a stream; a shared trace is read as text to put the link's part in front.)
    const whole = typeof text === "string" ? text : await new Response(text).text();
    const answer = `{"share":${JSON.stringify(about satisfies SharedTraceAnswer["share"])},${whole.slice(1)}`;
    return c.body(answer, 200, { "Content-Type": "application/json" });
  })
  .get("/:token/events/:event_id", async (c) => {
    const { link, db, about } = await sharedLink(c);
    const row = await findEvent(db, link.projectId, link.traceId, await storedId(c.req.param("event_id")));
    if (!row) throw new ApiError("not_found", "No such event in this trace.");
    const body = link.hideIo ? { body: null, bytes: 0, missing: false } : await readBody(c.env.BODIES, row);
    return answer(c, "GET /api/share/:token/events/:event_id", {
      share: about,
      event: sharedFullEvent(fullEventView(row, body), link.hideIo),
    });
  });
