// A banner over every page of an org near (80%) or over its monthly event quota; owners and admins see it (they can
// read usage and change the plan with the operator). Its text loads only when shown (QuotaNotice).
import { lazy } from "../lib/lazy.tsx";
import { useApi } from "../lib/use-api.ts";
import { canManage, type Org } from "../state/session.ts";

const QuotaNotice = lazy(() => import("../pages/chunks/on-use.ts").then((m) => m.QuotaNotice));

export function QuotaBanner({ org, project }: { org: Org; project: string }) {
  const read = useApi(canManage(org.role) ? `/api/orgs/${org.id}/usage` : null);
  const month = read.data.value?.month;
  if (!month || month.state === "ok" || month.limit === null) return null;
  // In a box of its own: the notice's placeholder while its code loads takes no room (styles/base.css `.boot`).
  return (
    <div>
      <QuotaNotice org={org} project={project} month={month} />
    </div>
  );
}
