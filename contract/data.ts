// Data lifecycle answers: project retention, deletions on request (a project, a trace, an end user's data) with a
// status to poll, and the audit log of both.
import { z } from "zod";
import { LIFECYCLE_LIMITS, PAGE_LIMITS } from "./limits.ts";
import { limitParam } from "./query-params.ts";

/** A background job's (and so a deletion's) status. */
export const JOB_STATUSES = ["pending", "running", "done", "failed"] as const;

export const DELETION_KINDS = ["project", "trace", "user"] as const;

/** `PATCH /api/projects/:project`: a new name and/or retention (days; null = the instance's default). */
export const projectPatch = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    retention_days: z
      .number()
      .int()
      .min(LIFECYCLE_LIMITS.minRetentionDays)
      .max(LIFECYCLE_LIMITS.maxRetentionDays)
      .nullable()
      .optional(),
  })
  .refine((p) => p.name !== undefined || p.retention_days !== undefined, "send `name` and/or `retention_days`");

/** A project's retention as set, and what applies (the instance default when it sets none; null = forever). */
export const retention = z.strictObject({
  retention_days: z.number().int().nullable(),
  effective_retention_days: z.number().int().nullable(),
});

/** A deletion on request and how far it got; `status` becomes `done` when every row and body is gone. */
export const deletion = z.strictObject({
  id: z.string(),
  kind: z.enum(DELETION_KINDS),
  project_id: z.string(),
  /** The trace id or end user id (null for a project). */
  target: z.string().nullable(),
  status: z.enum(JOB_STATUSES),
  events_deleted: z.number().int().nonnegative(),
  requested_at: z.number(),
  finished_at: z.number().nullable(),
  error: z.string().nullable(),
  /** Where to poll it. */
  status_url: z.string(),
});
export type Deletion = z.infer<typeof deletion>;
export const deletionAnswer = z.strictObject({ deletion });
export type DeletionAnswer = z.infer<typeof deletionAnswer>;

export const auditEntry = z.strictObject({
  id: z.string(),
  project_id: z.string().nullable(),
  /** `user:<id>` (with `actor_email` when known), `key:<id>` or `system`. */
  actor: z.string(),
  actor_email: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  at: z.number(),
});
export type AuditEntry = z.infer<typeof auditEntry>;
export const auditLogAnswer = z.strictObject({ entries: z.array(auditEntry), next_cursor: z.string().nullable() });
export type AuditLogAnswer = z.infer<typeof auditLogAnswer>;

/** `GET /api/orgs/:org/audit-log`. */
export const auditParams = z.object({
  project_id: z.string().max(100).optional(),
  limit: limitParam(PAGE_LIMITS.auditLog.default, PAGE_LIMITS.auditLog.max),
  cursor: z.string().max(512).optional(),
});
