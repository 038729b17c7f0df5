// The quota banner's text, loaded with the code used on demand (ui/pages/chunks/on-use.ts): most orgs never near their
// quota, so no page's first load carries it.
import type { UsageReport } from "../../contract/usage.ts";
import { grouped } from "../lib/format.ts";
import type { Org } from "../state/session.ts";
import { Link } from "./Link.tsx";

export function QuotaNotice({ org, project, month }: { org: Org; project: string; month: UsageReport["month"] }) {
  const limit = grouped(month.limit!);
  const text =
    month.state === "over"
      ? `${org.name} has used all ${limit} events of this month: new events are refused until the month ends or the plan changes.`
      : `${org.name} has used ${Math.round((month.events / month.limit!) * 100)}% of this month's ${limit} events.`;
  return (
    <p class={`notice quota-banner ${month.state}`} role="status" data-testid="quota-banner">
      {text} <Link href={`/p/${project}/settings/usage`}>See usage</Link>
    </p>
  );
}
