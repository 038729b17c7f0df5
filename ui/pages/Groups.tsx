// Sessions and users: lists with totals (newest activity first), and one session's or user's traces.

import type { GroupScore } from "../../contract/traces.ts";
import { DeleteData } from "../components/DeleteData.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { Link } from "../components/Link.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { cost, duration, shortTime, time, tokens } from "../lib/format.ts";
import type { SessionGroup, UserGroup } from "../lib/types.ts";
import { useApi, usePaged } from "../lib/use-api.ts";
import { TraceList } from "./TraceList.tsx";

type By = "sessions" | "users";
type Scored = { scores: GroupScore[] };
type Group = (SessionGroup | UserGroup) & Scored;
const idOf = (g: Group) => ("session_id" in g ? g.session_id : g.user_id);
/** Score columns a list shows: the names most rows have. */
const MAX_SCORE_COLUMNS = 3;

/** The score names of the listed rows, the ones most rows have first. */
function scoreNames(groups: Group[]) {
  const rows = new Map<string, number>();
  for (const g of groups) for (const s of g.scores) rows.set(s.name, (rows.get(s.name) ?? 0) + 1);
  return [...rows]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_SCORE_COLUMNS)
    .map(([name]) => name);
}

function scoreColumn(name: string, i: number): Column<Group> {
  const of = (g: Group) => g.scores.find((s) => s.name === name);
  const text = (g: Group) => {
    const s = of(g);
    if (!s) return "";
    return s.avg === null ? `${s.count}×` : String(Math.round(s.avg * 100) / 100);
  };
  return {
    label: name,
    // As wide as the score's name in the header's capitals (a header is never cut), up to 22 characters; longer names
    // are cut with a tooltip.
    fit: { text, min: Math.min(22, Math.ceil(name.length * 1.3) + 4), max: 22 },
    numeric: true,
    priority: i === 0 ? 2 : 3,
    title: (g) => {
      const s = of(g);
      return s
        ? `${name}: ${s.avg === null ? "" : `mean ${s.avg} of `}${s.count} score${s.count === 1 ? "" : "s"}`
        : null;
    },
    cell: text,
  };
}

export function GroupList({ project, by }: { project: string; by: By }) {
  const list = usePaged(`/api/v1/${by}?limit=50`, { project });
  const groups: Group[] | null = list.pages?.flatMap((p): Group[] => ("sessions" in p ? p.sessions : p.users)) ?? null;
  const title = by === "sessions" ? "Sessions" : "Users";
  const columns: Array<Column<Group>> = [
    {
      label: by === "sessions" ? "Session" : "User",
      title: idOf,
      cell: (g) => <Link href={`/p/${project}/${by}/${encodeURIComponent(idOf(g))}`}>{idOf(g)}</Link>,
    },
    by === "sessions"
      ? { label: "User", priority: 3, title: (g) => ("user_id" in g ? g.user_id : null), cell: (g) => g.user_id ?? "" }
      : {
          label: "Sessions",
          width: "6.4rem",
          numeric: true,
          priority: 3,
          cell: (g) => ("session_count" in g ? g.session_count : ""),
        },
    { label: "Traces", width: "5.4rem", numeric: true, priority: 2, cell: (g) => g.trace_count },
    { label: "Last seen", width: "9.5rem", title: (g) => time(g.last_seen), cell: (g) => shortTime(g.last_seen) },
    {
      label: "Span of activity",
      width: "9.8rem",
      priority: 2,
      title: (g) => `${time(g.first_seen)} – ${time(g.last_seen)}`,
      cell: (g) => duration(g.duration_ms),
    },
    { label: "Tokens", width: "5rem", numeric: true, priority: 3, cell: (g) => tokens(g.total_tokens) },
    { label: "Cost", width: "6.6rem", numeric: true, cell: (g) => (g.total_tokens ? cost(g.total_cost) : "—") },
    { label: "Errors", width: "5rem", numeric: true, priority: 3, cell: (g) => g.error_count || "" },
    ...scoreNames(groups ?? []).map(scoreColumn),
  ];
  if (list.error.value) return <ErrorNote error={list.error} />;
  if (!groups)
    return (
      <p class="muted" aria-busy="true">
        Loading…
      </p>
    );
  return (
    <section>
      <h1>{title}</h1>
      {!groups.length ? (
        <p class="muted">
          No {by} yet: send `context.{by === "sessions" ? "session_id" : "user_id"}` with your events.
        </p>
      ) : (
        <Table
          testId={`${by}-table`}
          columns={columns}
          rows={groups}
          rowKey={idOf}
          rowProps={(g) => ({ class: g.error_count ? "err" : "" })}
        />
      )}
      <ErrorNote error={list.more.error} />
      {list.next && (
        <p>
          <button type="button" disabled={list.more.busy.value} onClick={() => void list.loadMore()}>
            Load more
          </button>
        </p>
      )}
    </section>
  );
}

export function GroupDetail({ project, by, id }: { project: string; by: By; id: string }) {
  const one = by === "sessions" ? "session" : "user";
  const answer = useApi(`/api/v1/${by}/${encodeURIComponent(id)}?limit=1`, { project });
  const data = answer.data.value;
  const group = data && ("session" in data ? data.session : data.user);
  const back = `/p/${project}/${by}`;
  return (
    <section>
      <header class="page-head">
        <h1>
          <Link href={back} class="crumb">
            {by === "sessions" ? "Sessions" : "Users"}
          </Link>
          <span class="crumb-sep" aria-hidden="true">
            /
          </span>
          <span class="sr-only">{one === "session" ? "Session" : "User"} </span>
          {id}
        </h1>
        {by === "users" && (
          <div class="actions">
            <DeleteData
              project={project}
              path={`/api/v1/users/${encodeURIComponent(id)}`}
              label="user's data"
              what={`every trace of the end user "${id}" and every other event carrying their id (a privacy request)`}
              back={back}
            />
          </div>
        )}
      </header>
      <ErrorNote error={answer.error} />
      {group && (
        <dl class="totals">
          <div>
            <dt>Traces</dt>
            <dd>{group.trace_count}</dd>
          </div>
          <div>
            <dt>First seen</dt>
            <dd>{time(group.first_seen)}</dd>
          </div>
          <div>
            <dt>Last seen</dt>
            <dd>{time(group.last_seen)}</dd>
          </div>
          <div>
            <dt>Span of activity</dt>
            <dd>{duration(group.duration_ms)}</dd>
          </div>
          <div>
            <dt>Tokens</dt>
            <dd>{tokens(group.total_tokens)}</dd>
          </div>
          <div>
            <dt>Cost</dt>
            <dd>{cost(group.total_cost)}</dd>
          </div>
          <div>
            <dt>Errors</dt>
            <dd>{group.error_count}</dd>
          </div>
          {answer.data.value?.scores.map((s) => (
            <div key={s.name} data-testid="group-score">
              <dt>{s.name}</dt>
              <dd title={`${s.count} score(s)`}>
                {s.avg === null ? `${s.count}×` : `${Math.round(s.avg * 100) / 100} avg (${s.count})`}
              </dd>
            </div>
          ))}
        </dl>
      )}
      <TraceList
        project={project}
        fixed={{ [`${one}_id`]: id, ...(one === "session" ? { sort: "start_time", order: "asc" } : {}) }}
      />
    </section>
  );
}
