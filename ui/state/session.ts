// Who is signed in, their orgs and projects, and the keys we may still show in plaintext this session.
import { computed, signal } from "@preact/signals";
import { ApiError, api } from "../api.ts";

export type Role = "owner" | "admin" | "member" | "viewer";
export type Project = { id: string; name: string };
export type Org = { id: string; name: string; role: Role; projects: Project[] };
export type Me = { user: { id: string; email: string; name: string; is_admin: boolean }; orgs: Org[] };

/** undefined while loading, null when signed out. */
export const me = signal<Me | null | undefined>(undefined);
/** Plaintext keys seen this session (only right after sign-up or creation), by project id. */
export const freshKeys = signal<Record<string, { ingest?: string; secret?: string }>>({});

export async function loadMe() {
  try {
    me.value = await api<Me>("/api/me");
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) me.value = null;
    else throw err;
  }
}

export function rememberKey(projectId: string, kind: "ingest" | "secret", key: string) {
  freshKeys.value = { ...freshKeys.value, [projectId]: { ...freshKeys.value[projectId], [kind]: key } };
}

export const allProjects = computed(() =>
  (me.value?.orgs ?? []).flatMap((org) => org.projects.map((p) => ({ ...p, org }))),
);

export function projectById(id: string | undefined) {
  return allProjects.value.find((p) => p.id === id);
}

export const canManage = (role: Role) => role === "owner" || role === "admin";
