// Creating a project from the dashboard (Settings and the "No projects yet" page).
import { navigate } from "../state/router.ts";
import { loadMe, rememberKey } from "../state/session.ts";
import { api } from "./api.ts";

/** Creates a project (keeping its new keys to show once) and opens it. */
export async function createProjectIn(orgId: string, name: string, init: { signal?: AbortSignal }) {
  const res = await api(`/api/orgs/${orgId}/projects`, { method: "POST", ...init, json: { name } });
  rememberKey(res.project.id, "ingest", res.keys.ingest);
  rememberKey(res.project.id, "secret", res.keys.secret);
  await loadMe();
  navigate(`/p/${res.project.id}/traces`);
}
