// A new user account (control plane), for the sign-up batch with its workspace.
import type { ControlDb } from "../client.ts";
import { users } from "../control-schema.ts";

export const userInsert = (control: ControlDb, user: typeof users.$inferInsert) => control.insert(users).values(user);
