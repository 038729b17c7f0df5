// Share links: a public, read-only link to one trace (`/share/<token>`), optionally without its inputs and outputs,
// revocable and optionally expiring. Only the token's SHA-256 is stored; the link is shown once, when it is created.
import { z } from "zod";
import { id } from "./event.ts";
import { SHARE_LIMITS } from "./limits.ts";
import { scoreView } from "./scores.ts";
import { fullEvent, traceSummary, treeEvent } from "./traces.ts";

/** `POST /api/projects/:project/shares`. */
export const shareCreate = z.strictObject({
  trace_id: id,
  /** Leave out every body (inputs, outputs, messages, errors' text), previews, score comments, end-user ids and metadata. */
  hide_io: z.boolean().default(false),
  /** Days until the link stops working; null or absent: never. */
  expires_in_days: z.number().int().min(1).max(SHARE_LIMITS.maxExpiryDays).nullish(),
});

/** A share link as listed: never its token. */
export const shareLink = z.strictObject({
  id: z.string(),
  project_id: z.string(),
  trace_id: z.string(),
  hide_io: z.boolean(),
  /** `user:<id>` or `key:<id>`: who created it (they and admins may revoke it). */
  created_by: z.string(),
  /** The creator's name or email when a user created it. */
  created_by_name: z.string().nullable(),
  created_at: z.number(),
  expires_at: z.number().nullable(),
  revoked_at: z.number().nullable(),
});
export type ShareLink = z.infer<typeof shareLink>;

export const shareListAnswer = z.strictObject({ shares: z.array(shareLink) });
/** The new link: its token and path (`/share/<token>`), shown once. */
export const shareCreatedAnswer = z.strictObject({ share: shareLink.extend({ token: z.string(), path: z.string() }) });
export const shareAnswer = z.strictObject({ share: shareLink });

/** What the public link says about itself. */
export const sharedLink = z.strictObject({
  hide_io: z.boolean(),
  created_at: z.number(),
  expires_at: z.number().nullable(),
});

/** `GET /api/share/:token`: the trace as its page shows it, nothing of the project around it. */
export const sharedTraceAnswer = z.strictObject({
  share: sharedLink,
  trace: traceSummary,
  events: z.array(treeEvent),
  scores: z.array(scoreView),
});
export type SharedTraceAnswer = z.infer<typeof sharedTraceAnswer>;

/** `GET /api/share/:token/events/:event_id`: one event of the shared trace (without its body when I/O is hidden). */
export const sharedEventAnswer = z.strictObject({ share: sharedLink, event: fullEvent });

/** `GET /api/projects/:project/shares`: a project's links, or one trace's. */
export const shareListParams = z.object({ trace_id: id.optional() });
