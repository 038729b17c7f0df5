// A page of an org's audit log (control plane), newest first, with each acting user's email.
import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import type { ControlDb } from "../client.ts";
import { auditLog, users } from "../control-schema.ts";

/** Up to `limit` entries after the cursor (at, id); of one project when `projectId` is given. */
export const auditPage = (
  control: ControlDb,
  orgId: string,
  p: { projectId?: string; after: readonly [number, string] | null; limit: number },
) =>
  control
    .select({ entry: auditLog, email: users.email })
    .from(auditLog)
    .leftJoin(users, eq(users.id, sql`substr(${auditLog.actor}, 6)`))
    .where(
      and(
        eq(auditLog.orgId, orgId),
        p.projectId ? eq(auditLog.projectId, p.projectId) : undefined,
        p.after
          ? or(lt(auditLog.at, p.after[0]), and(eq(auditLog.at, p.after[0]), lt(auditLog.id, p.after[1])))
          : undefined,
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(p.limit);
