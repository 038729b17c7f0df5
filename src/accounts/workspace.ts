// Creating the things a user works in: orgs, projects with their first keys, memberships.

import type { Role } from "../../contract/constants.ts";
import { mintKey } from "../auth/keys.ts";
import type { ControlDb } from "../db/client.ts";
import { memberInsert, orgInsert } from "../db/writes/orgs.ts";
import { keysInsert, projectInsert } from "../db/writes/projects.ts";
import { newId } from "../lib/ids.ts";
import { leastLoadedShard } from "./placement.ts";

/**
 * Statements creating a project, placed on a data database, and its first ingest and secret keys, and the keys'
 * plaintext (shown once).
 */
export async function projectWithKeys(db: ControlDb, orgId: string, name: string, shardCount: number) {
  const project = { id: newId("prj"), orgId, name, shard: await leastLoadedShard(db, shardCount) };
  const ingest = await mintKey(project.id, "ingest", "Default ingest key");
  const secret = await mintKey(project.id, "secret", "Default secret key");
  return {
    project: { id: project.id, org_id: orgId, name },
    keys: { ingest: ingest.plaintext, secret: secret.plaintext },
    statements: [projectInsert(db, project), keysInsert(db, [ingest.row, secret.row])] as const,
  };
}

export function orgWithOwner(db: ControlDb, name: string, userId: string) {
  const org = { id: newId("org"), name };
  return {
    org,
    statements: [orgInsert(db, org), memberInsert(db, { orgId: org.id, userId, role: "owner" as Role })] as const,
  };
}

/** A new user's personal org and first project with keys, so onboarding needs no extra step. */
export async function personalWorkspace(db: ControlDb, user: { id: string; name: string }, shardCount: number) {
  const { org, statements: orgStatements } = orgWithOwner(db, `${user.name}'s org`, user.id);
  const first = await projectWithKeys(db, org.id, "My first project", shardCount);
  const { project, keys, statements: projectStatements } = first;
  return { org, project, keys, statements: [...orgStatements, ...projectStatements] as const };
}
