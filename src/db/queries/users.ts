// Reads of user accounts (control plane), for sign-up and login.
import { count, eq } from "drizzle-orm";
import type { ControlDb } from "../client.ts";
import { users } from "../control-schema.ts";

/** How many accounts the instance has (the first one is its admin). */
export async function userCount(control: ControlDb) {
  const [row] = await control.select({ users: count() }).from(users);
  return row?.users ?? 0;
}

/** The account of an email address, or undefined. */
export async function userByEmail(control: ControlDb, email: string) {
  const [user] = await control.select().from(users).where(eq(users.email, email)).limit(1);
  return user;
}

export async function userById(control: ControlDb, id: string) {
  const [user] = await control.select().from(users).where(eq(users.id, id));
  return user;
}
