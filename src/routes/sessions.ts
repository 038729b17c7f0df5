// /api/v1/sessions: sessions (traces grouped by session_id) with totals, and one session's traces in order.
import { groupRoute } from "./trace-groups.ts";

export const sessionsRoute = groupRoute("session");
