// /api/v1/users: end users (traces grouped by user_id) with totals and last seen, and one user's traces.
import { groupRoute } from "./trace-groups.ts";

export const usersRoute = groupRoute("user");
