// A banner over every page of an org near (80%) or over its monthly event quota; owners and admins see it (they can
// read usage and change the plan with the operator).
import { useApi } from "../lib/use-api.ts";
import { canManage, type Org } from "../state/session.ts";
import { Link } from "./Link.tsx";

export function QuotaBanner({ org, project }: { org: Org; project: string }) {
  const read = useApi(canManage(org.role) ? `/api/orgs/${org.id}/usage` : null);
  const month = read.data.value?.month;
  if (!month || month.state === "ok" || month.limit === null) return null;
  const text =
    month.state === "over"
      ? `${org.name} has used all ${month.limit.toLocaleString("en-US")} events of this month: new events are refused until the month ends or the plan changes.`
      : `${org.name} has used ${Math.round((month.events / month.limit) * 100)}% of this month's ${month.limit.toLocaleString("en-US")} events.`;
  return (
    <p class={`notice quota-banner ${month.state}`} role="status" data-testid="quota-banner">
      {text} <Link href={`/p/${project}/settings/usage`}>See usage</Link>
    </p>
  );
}
