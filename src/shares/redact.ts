// What a share link shows of its trace. Every link leaves out who in the project did what (score authors); a link
// that hides inputs and outputs also leaves out every body (inputs, outputs, messages, errors' text), the tree's
// previews, score comments and metadata, end-user and session ids, and the events' context metadata.
import type { ScoreView } from "../../contract/scores.ts";
import type { FullEvent, TraceSummary, TreeEvent } from "../../contract/traces.ts";

/** What of an event's context a link without inputs and outputs keeps. */
const KEPT_CONTEXT = ["tags", "environment", "release"] as const;

export const sharedSummary = (t: TraceSummary, hideIo: boolean): TraceSummary =>
  hideIo ? { ...t, user_id: null, session_id: null } : t;

export const sharedTreeEvent = (e: TreeEvent, hideIo: boolean): TreeEvent =>
  hideIo ? { ...e, body: null, body_truncated: false, body_bytes: 0, preview: null } : e;

export const sharedScore = (s: ScoreView, hideIo: boolean): ScoreView => ({
  ...s,
  author_id: "",
  ...(hideIo && { comment: null, metadata: null, user_id: null }),
});

function keptContext(context: FullEvent["context"]) {
  if (!context) return null;
  const kept = Object.fromEntries(KEPT_CONTEXT.filter((k) => context[k] != null).map((k) => [k, context[k]]));
  return Object.keys(kept).length ? kept : null;
}

/** A full event as a link shows it; with I/O hidden its body was never read (the caller passes none). */
export const sharedFullEvent = (e: FullEvent, hideIo: boolean): FullEvent =>
  hideIo
    ? {
        ...e,
        body: null,
        body_bytes: 0,
        body_missing: false,
        truncated: false,
        context: keptContext(e.context),
        user_id: null,
        session_id: null,
      }
    : e;
