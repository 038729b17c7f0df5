// Account rows → the contract's answer shapes (snake_case, no secrets).
import type { ApiKey, User } from "../../contract/accounts.ts";
import type { ApiKeyRow, UserRow } from "../db/schema.ts";

export const userView = (u: UserRow): User => ({
  id: u.id,
  email: u.email,
  name: u.name,
  is_admin: u.isAdmin,
  created_at: u.createdAt,
});

export const keyView = (k: ApiKeyRow): ApiKey => ({
  id: k.id,
  project_id: k.projectId,
  kind: k.kind,
  name: k.name,
  prefix: k.prefix,
  created_at: k.createdAt,
  last_used_at: k.lastUsedAt,
  revoked_at: k.revokedAt,
});
