// The audit log's one write: who did what to whose data (src/db/schema.ts `audit_log`).
import { newId } from "../../lib/ids.ts";
import type { ControlDb } from "../client.ts";
import { auditLog } from "../schema.ts";

export type AuditInput = {
  orgId: string;
  projectId: string | null;
  actor: string;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
};

/** The insert (run it alone, or inside a batch with the change it records). */
export const auditInsert = (db: ControlDb, a: AuditInput) =>
  db.insert(auditLog).values({
    id: newId("aud"),
    orgId: a.orgId,
    projectId: a.projectId,
    actor: a.actor,
    action: a.action,
    target: a.target ?? null,
    details: JSON.stringify(a.details ?? {}),
  });
