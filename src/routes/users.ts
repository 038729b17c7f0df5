// /api/v1/users: end users (traces grouped by user_id) with totals and last seen, one user's traces, and deleting
// every event that carries a user's id (a privacy request; answered even when none is left, for the audit trail).
import { deleteFromProject } from "./deletions.ts";
import { groupRoute } from "./trace-groups.ts";

export const usersRoute = groupRoute("user").delete("/:user_id", (c) =>
  deleteFromProject(c, "user", c.req.param("user_id")),
);
