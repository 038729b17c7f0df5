// How the write steps name events: by the events' primary key (project, trace, event), migration 0029.

/** An event's primary key (project, trace, event) as one string, to find repeats within a write. */
export const eventKey = (projectId: string, event: { trace_id: string; event_id: string }) =>
  `${projectId}\u0000${event.trace_id}\u0000${event.event_id}`;

/**
 * The events of JSON rows `k` that start with their key [project_id, trace_id, event_id]: a join on the events'
 * primary key (`SEARCH e USING INDEX sqlite_autoindex_events_1 (project_id=? AND trace_id=? AND event_id=?)`).
 */
export const BY_KEY = "e.project_id = k.value ->> 0 AND e.trace_id = k.value ->> 1 AND e.event_id = k.value ->> 2";
