// Every route of the API as the app mounts it ("METHOD /path"): what it takes (query, body) and what it answers. The
// Worker answers through these (src/lib/answer.ts), the dashboard reads through them (ui/lib/use-api.ts), and the
// contract test checks that this map and the app's routes are the same set. `answer: null`: not a JSON answer of ours
// (OTLP protobuf, an empty 204, a refusal).
import { z } from "zod";
import {
  inviteAcceptAnswer,
  inviteBody,
  inviteListAnswer,
  inviteOfferAnswer,
  keyAnswer,
  keyListAnswer,
  loginAnswer,
  loginBody,
  meAnswer,
  memberAnswer,
  memberListAnswer,
  nameBody,
  newInviteAnswer,
  newKeyAnswer,
  newKeyBody,
  newOrgAnswer,
  newProjectAnswer,
  okAnswer,
  orgListAnswer,
  projectAnswer,
  projectListAnswer,
  projectUpdateAnswer,
  roleBody,
  sessionProbeAnswer,
  signupAnswer,
  signupBody,
} from "./accounts.ts";
import {
  alertAnswer,
  alertCreate,
  alertCreated,
  alertHistory,
  alertList,
  alertPatch,
  alertPreview,
  alertPreviewDays,
  alertPreviewQuery,
  alertTestAnswer,
} from "./alerts.ts";
import {
  costParams,
  costReport,
  priceAnswer,
  priceBody,
  priceListAnswer,
  priceLookupParams,
  pricePatchBody,
  recomputeAnswer,
  recomputeBody,
} from "./costs.ts";
import { auditLogAnswer, auditParams, deletionAnswer, projectPatch } from "./data.ts";
import { ingestAnswer, ingestRequest } from "./event.ts";
import { langfuseAnswer, langfuseBatch, langfuseScore, langfuseScoreAnswer } from "./langfuse.ts";
import { metricsAnswer, metricsQuery } from "./metrics.ts";
import { scoreMetricsAnswer, scoreMetricsQuery } from "./score-metrics.ts";
import {
  annotationBody,
  scoreAnswer,
  scoreConfigAnswer,
  scoreConfigInput,
  scoreConfigListAnswer,
  scoreIngestAnswer,
  scoreIngestRequest,
  scoreListAnswer,
  scoreListParams,
  scoreSummaryAnswer,
  scoreSummaryParams,
} from "./scores.ts";
import {
  shareAnswer,
  shareCreate,
  shareCreatedAnswer,
  sharedEventAnswer,
  sharedTraceAnswer,
  shareListAnswer,
  shareListParams,
} from "./shares.ts";
import {
  compareParams,
  groupListParams,
  groupScoreParams,
  groupTraceParams,
  traceExportParams,
  traceListParams,
  traceViewParams,
} from "./trace-query.ts";
import {
  compareAnswer,
  eventAnswer,
  sessionAnswer,
  sessionListAnswer,
  traceAnswer,
  traceColumnsAnswer,
  traceExport,
  traceListAnswer,
  userAnswer,
  userListAnswer,
} from "./traces.ts";
import { usageParams, usageReport } from "./usage.ts";

export type RouteContract = { query?: z.ZodType; body?: z.ZodType; answer: z.ZodType | null };

const healthAnswer = z.strictObject({ ok: z.literal(true), queue_backlog: z.number().int().nonnegative().optional() });

export const API_ROUTES = {
  "GET /api/health": { answer: healthAnswer },

  "GET /api/auth/session": { answer: sessionProbeAnswer },
  "POST /api/auth/signup": { body: signupBody, answer: signupAnswer },
  "POST /api/auth/login": { body: loginBody, answer: loginAnswer },
  "POST /api/auth/logout": { answer: okAnswer },
  "GET /api/me": { answer: meAnswer },

  "GET /api/orgs": { answer: orgListAnswer },
  "POST /api/orgs": { body: nameBody, answer: newOrgAnswer },
  "GET /api/orgs/:org/projects": { answer: projectListAnswer },
  "POST /api/orgs/:org/projects": { body: nameBody, answer: newProjectAnswer },
  "GET /api/orgs/:org/members": { answer: memberListAnswer },
  "PATCH /api/orgs/:org/members/:user_id": { body: roleBody, answer: memberAnswer },
  "DELETE /api/orgs/:org/members/:user_id": { answer: okAnswer },
  "GET /api/orgs/:org/invites": { answer: inviteListAnswer },
  "POST /api/orgs/:org/invites": { body: inviteBody, answer: newInviteAnswer },
  "DELETE /api/orgs/:org/invites/:invite_id": { answer: okAnswer },
  "GET /api/orgs/:org/costs": { query: costParams, answer: costReport },
  "GET /api/orgs/:org/audit-log": { query: auditParams, answer: auditLogAnswer },
  "GET /api/orgs/:org/deletions/:id": { answer: deletionAnswer },
  "POST /api/orgs/:org/deletions/:id/retry": { answer: deletionAnswer },
  "GET /api/orgs/:org/usage": { query: usageParams, answer: usageReport },
  "GET /api/invites/:token": { answer: inviteOfferAnswer },
  "POST /api/invites/:token/accept": { answer: inviteAcceptAnswer },

  "GET /api/projects/:project": { answer: projectAnswer },
  "PATCH /api/projects/:project": { body: projectPatch, answer: projectUpdateAnswer },
  "DELETE /api/projects/:project": { answer: deletionAnswer },
  "GET /api/projects/:project/keys": { answer: keyListAnswer },
  "POST /api/projects/:project/keys": { body: newKeyBody, answer: newKeyAnswer },
  "DELETE /api/projects/:project/keys/:key_id": { answer: keyAnswer },
  "GET /api/projects/:project/score-configs": { answer: scoreConfigListAnswer },
  "PUT /api/projects/:project/score-configs/:name": { body: scoreConfigInput, answer: scoreConfigAnswer },
  "DELETE /api/projects/:project/score-configs/:name": { answer: okAnswer },
  "POST /api/projects/:project/scores": { body: annotationBody, answer: scoreAnswer },
  "DELETE /api/projects/:project/scores/:score_id": { answer: okAnswer },
  "GET /api/projects/:project/alerts": { answer: alertList },
  "POST /api/projects/:project/alerts": { body: alertCreate, answer: alertCreated },
  "POST /api/projects/:project/alerts/preview": {
    query: alertPreviewDays,
    body: alertPreviewQuery,
    answer: alertPreview,
  },
  "GET /api/projects/:project/alerts/:alert": { answer: alertAnswer },
  "PATCH /api/projects/:project/alerts/:alert": { body: alertPatch, answer: alertAnswer },
  "DELETE /api/projects/:project/alerts/:alert": { answer: okAnswer },
  "GET /api/projects/:project/alerts/:alert/history": { answer: alertHistory },
  "POST /api/projects/:project/alerts/:alert/test": { answer: alertTestAnswer },
  "GET /api/projects/:project/shares": { query: shareListParams, answer: shareListAnswer },
  "POST /api/projects/:project/shares": { body: shareCreate, answer: shareCreatedAnswer },
  "DELETE /api/projects/:project/shares/:share_id": { answer: shareAnswer },
  "GET /api/share/:token": { answer: sharedTraceAnswer },
  "GET /api/share/:token/events/:event_id": { answer: sharedEventAnswer },

  "POST /api/v1/events": { body: ingestRequest, answer: ingestAnswer },
  "POST /api/v1/scores": { body: scoreIngestRequest, answer: scoreIngestAnswer },
  "GET /api/v1/scores": { query: scoreListParams, answer: scoreListAnswer },
  "GET /api/v1/scores/summary": { query: scoreSummaryParams, answer: scoreSummaryAnswer },
  "POST /api/v1/otel/v1/traces": { answer: null },
  "POST /api/v1/otel/v1/logs": { answer: null },
  "POST /api/public/otel/v1/traces": { answer: null },
  "POST /api/public/otel/v1/logs": { answer: null },
  "GET /api/public/ingestion": { answer: null },
  "POST /api/public/ingestion": { body: langfuseBatch, answer: langfuseAnswer },
  "POST /api/public/scores": { body: langfuseScore, answer: langfuseScoreAnswer },
  "DELETE /api/public/scores/:score_id": { answer: null },
  "GET /api/v1/traces": { query: traceListParams, answer: traceListAnswer },
  "GET /api/v1/traces/compare": { query: compareParams, answer: compareAnswer },
  "GET /api/v1/traces/:trace_id": { query: traceViewParams, answer: traceAnswer },
  "GET /api/v1/traces/:trace_id?format=columns": { query: traceViewParams, answer: traceColumnsAnswer },
  "DELETE /api/v1/traces/:trace_id": { answer: deletionAnswer },
  "GET /api/v1/traces/:trace_id/events/:event_id": { answer: eventAnswer },
  "GET /api/v1/traces/:trace_id/export": { query: traceExportParams, answer: traceExport },
  "GET /api/v1/sessions": { query: groupListParams.extend(groupScoreParams), answer: sessionListAnswer },
  "GET /api/v1/sessions/:session_id": { query: groupTraceParams, answer: sessionAnswer },
  "GET /api/v1/users": { query: groupListParams.extend(groupScoreParams), answer: userListAnswer },
  "GET /api/v1/users/:user_id": { query: groupTraceParams, answer: userAnswer },
  "DELETE /api/v1/users/:user_id": { answer: deletionAnswer },
  "GET /api/v1/deletions/:id": { answer: deletionAnswer },
  "POST /api/v1/deletions/:id/retry": { answer: deletionAnswer },
  "GET /api/v1/metrics": { query: metricsQuery, answer: metricsAnswer },
  "GET /api/v1/metrics?view=scores": { query: scoreMetricsQuery, answer: scoreMetricsAnswer },
  "GET /api/v1/costs": { query: costParams, answer: costReport },
  "GET /api/v1/prices": { query: priceLookupParams, answer: priceListAnswer },
  "POST /api/v1/prices": { body: priceBody, answer: priceAnswer },
  "PATCH /api/v1/prices/:price_id": { body: pricePatchBody, answer: priceAnswer },
  "DELETE /api/v1/prices/:price_id": { answer: priceAnswer },
  "POST /api/v1/prices/recompute": { body: recomputeBody, answer: recomputeAnswer },
} as const satisfies Record<string, RouteContract>;

export type RouteKey = keyof typeof API_ROUTES;
/** Routes that answer JSON of ours. */
export type JsonRoute = { [K in RouteKey]: (typeof API_ROUTES)[K]["answer"] extends z.ZodType ? K : never }[RouteKey];
/** What route `K` answers. */
export type AnswerOf<K extends JsonRoute> = z.infer<Extract<(typeof API_ROUTES)[K]["answer"], z.ZodType>>;

// The dashboard's view: a URL it builds (`/api/projects/${id}/keys?x=1`) typed by the route it matches. `:param`
// matches any text, so where several routes match, the most specific (whose pattern the others' include) wins.
type Pattern<R extends string> = R extends `${infer H}/:${string}/${infer T}`
  ? `${H}/${string}/${Pattern<T>}`
  : R extends `${infer H}/:${string}?${infer Q}`
    ? `${H}/${string}?${Q}${string}`
    : R extends `${infer H}/:${string}`
      ? `${H}/${string}`
      : R extends `${infer P}?${infer Q}`
        ? `${P}?${Q}${string}` | `${P}?${string}&${Q}${string}`
        : R | `${R}?${string}`;
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type PathOf<K, M extends Method> = K extends `${M} ${infer P}` ? P : never;
type Candidates<U extends string, M extends Method> = {
  [R in PathOf<JsonRoute, M>]: U extends Pattern<R> ? R : never;
}[PathOf<JsonRoute, M>];
type MostSpecific<C extends string> = {
  [R in C]: true extends (
    Exclude<C, R> extends infer O
      ? O extends string
        ? Pattern<O> extends Pattern<R>
          ? true
          : never
        : never
      : never
  )
    ? never
    : R;
}[C];

/** A dashboard URL of a route (GET by default) that answers JSON. */
export type ApiUrl<M extends Method = "GET"> = Pattern<PathOf<JsonRoute, M>>;
/** The route a dashboard URL `U` of method `M` matches. */
type RouteOfUrl<U extends string, M extends Method> = Extract<`${M} ${MostSpecific<Candidates<U, M>>}`, JsonRoute>;
/** What `M` of `U` answers. */
export type Answer<U extends string, M extends Method = "GET"> = AnswerOf<RouteOfUrl<U, M>>;
/** What route `K` takes as its JSON body (the input of its body schema); undefined where it takes none. */
export type BodyOf<K extends RouteKey> = (typeof API_ROUTES)[K] extends { body: infer B extends z.ZodType }
  ? z.input<B>
  : undefined;
/** What `M` of `U` takes as its JSON body. */
export type Body<U extends string, M extends Method> = BodyOf<RouteOfUrl<U, M>>;
/** What a GET of `U` answers. */
export type GetAnswer<U extends string> = Answer<U, "GET">;
