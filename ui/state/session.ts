// Who is signed in, their orgs and projects, and the keys we may still show in plaintext this session.
import { computed, signal } from "@preact/signals";
import type { MeAnswer, OrgWithProjects } from "../../contract/accounts.ts";
import type { Role } from "../../contract/constants.ts";
import { ApiError, answerOf, api } from "../lib/api.ts";
import { takeEarlySession } from "./early.ts";

export type { Role } from "../../contract/constants.ts";
export type Org = OrgWithProjects;

/** undefined while loading, null when signed out. */
export const me = signal<MeAnswer | null | undefined>(undefined);
/** Why /api/me failed, other than being signed out (shown instead of the app). */
export const bootError = signal<string | null>(null);
/** Plaintext keys seen this session (only right after sign-up or creation), by project id. */
export const freshKeys = signal<Record<string, { ingest?: string; secret?: string }>>({});

const probe = () => api("/api/auth/session");

export async function loadMe() {
  try {
    // The probe answers 200 signed in or not: a signed-out load logs no failed request.
    const early = takeEarlySession();
    me.value = (early ? ((await early.then(answerOf)) as Awaited<ReturnType<typeof probe>>) : await probe()).me;
    bootError.value = null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) me.value = null;
    else bootError.value = err instanceof Error ? err.message : String(err);
  }
}

export function rememberKey(projectId: string, kind: "ingest" | "secret", key: string) {
  freshKeys.value = { ...freshKeys.value, [projectId]: { ...freshKeys.value[projectId], [kind]: key } };
}

/** Drops a plaintext key from memory once the user has saved it. */
export function forgetKey(projectId: string, kind: "ingest" | "secret") {
  const { [kind]: _, ...rest } = freshKeys.value[projectId] ?? {};
  freshKeys.value = { ...freshKeys.value, [projectId]: rest };
}

export const allProjects = computed(() =>
  (me.value?.orgs ?? []).flatMap((org) => org.projects.map((p) => ({ ...p, org }))),
);

export function projectById(id: string | undefined) {
  return allProjects.value.find((p) => p.id === id);
}

export const canManage = (role: Role) => role === "owner" || role === "admin";
