// The JSON shapes of account objects as the API returns them (snake_case, no secrets).
import type { ApiKeyRow, UserRow } from "../db/schema.ts";

export const userView = (u: UserRow) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  is_admin: u.isAdmin,
  created_at: u.createdAt,
});

export const keyView = (k: ApiKeyRow) => ({
  id: k.id,
  project_id: k.projectId,
  kind: k.kind,
  name: k.name,
  prefix: k.prefix,
  created_at: k.createdAt,
  last_used_at: k.lastUsedAt,
  revoked_at: k.revokedAt,
});
