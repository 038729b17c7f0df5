// Sessions and users: lists with totals (newest activity first), and one session's or user's traces.
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { api } from "../api.ts";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { Link } from "../components/Link.tsx";
import { cost, duration, time, tokens } from "../lib/format.ts";
import type { Group } from "../lib/types.ts";
import { TraceList } from "./TraceList.tsx";

type By = "sessions" | "users";
const idOf = (by: By, g: Group) => (by === "sessions" ? g.session_id! : g.user_id!);

export function GroupList({ project, by }: { project: string; by: By }) {
  const groups = useSignal<Group[] | null>(null);
  const next = useSignal<string | null>(null);
  const error = useSignal<string | null>(null);
  const load = (cursor?: string) =>
    api<Record<By, Group[]> & { next_cursor: string | null }>(
      `/api/v1/${by}?limit=50${cursor ? `&cursor=${cursor}` : ""}`,
      { project },
    )
      .then((r) => {
        groups.value = cursor ? [...(groups.value ?? []), ...r[by]] : r[by];
        next.value = r.next_cursor;
      })
      .catch((err: Error) => (error.value = err.message));
  useEffect(() => void load(), [project, by]);
  const title = by === "sessions" ? "Sessions" : "Users";
  if (error.value) return <ErrorNote error={error.value} />;
  if (!groups.value)
    return (
      <p class="muted" aria-busy="true">
        Loading…
      </p>
    );
  return (
    <section>
      <h1>{title}</h1>
      {!groups.value.length ? (
        <p class="muted">
          No {by} yet: send `context.{by === "sessions" ? "session_id" : "user_id"}` with your events.
        </p>
      ) : (
        <div class="table-wrap">
          <table data-testid={`${by}-table`}>
            <thead>
              <tr>
                <th>{by === "sessions" ? "Session" : "User"}</th>
                {by === "sessions" ? <th>User</th> : <th>Sessions</th>}
                <th>Traces</th>
                <th>Last seen</th>
                <th>Span of activity</th>
                <th>Tokens</th>
                <th>Cost</th>
                <th>Errors</th>
              </tr>
            </thead>
            <tbody>
              {groups.value.map((g) => {
                const id = idOf(by, g);
                const href = `/p/${project}/${by}/${encodeURIComponent(id)}`;
                return (
                  <tr key={id} class={g.error_count ? "err" : ""}>
                    <td>
                      <Link href={href}>{id}</Link>
                    </td>
                    <td>{by === "sessions" ? (g.user_id ?? "") : g.session_count}</td>
                    <td>{g.trace_count}</td>
                    <td>{time(g.last_seen)}</td>
                    <td>{duration(g.duration_ms)}</td>
                    <td>{tokens(g.total_tokens)}</td>
                    <td>{cost(g.total_cost)}</td>
                    <td>{g.error_count || ""}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {next.value && (
        <p>
          <button type="button" onClick={() => void load(next.value!)}>
            Load more
          </button>
        </p>
      )}
    </section>
  );
}

export function GroupDetail({ project, by, id }: { project: string; by: By; id: string }) {
  const group = useSignal<Group | null>(null);
  const error = useSignal<string | null>(null);
  const one = by === "sessions" ? "session" : "user";
  useEffect(() => {
    api<Record<string, Group>>(`/api/v1/${by}/${encodeURIComponent(id)}?limit=1`, { project })
      .then((r) => (group.value = r[one]!))
      .catch((err: Error) => (error.value = err.message));
  }, [project, by, id]);
  const back = `/p/${project}/${by}`;
  return (
    <section>
      <p class="crumbs">
        <Link href={back}>← {by === "sessions" ? "Sessions" : "Users"}</Link>
      </p>
      <h1>
        {one === "session" ? "Session" : "User"} {id}
      </h1>
      <ErrorNote error={error.value} />
      {group.value && (
        <dl class="totals">
          <div>
            <dt>Traces</dt>
            <dd>{group.value.trace_count}</dd>
          </div>
          <div>
            <dt>First seen</dt>
            <dd>{time(group.value.first_seen)}</dd>
          </div>
          <div>
            <dt>Last seen</dt>
            <dd>{time(group.value.last_seen)}</dd>
          </div>
          <div>
            <dt>Tokens</dt>
            <dd>{tokens(group.value.total_tokens)}</dd>
          </div>
          <div>
            <dt>Cost</dt>
            <dd>{cost(group.value.total_cost)}</dd>
          </div>
          <div>
            <dt>Errors</dt>
            <dd>{group.value.error_count}</dd>
          </div>
        </dl>
      )}
      <TraceList
        project={project}
        fixed={{ [`${one}_id`]: id, ...(one === "session" ? { sort: "start_time", order: "asc" } : {}) }}
      />
    </section>
  );
}
