// The Worker's one logger: one JSON line per event (what happened, and the project, trace and request it concerns),
// so `wrangler tail` and Workers Logs can filter on fields instead of parsing prose.

/** What a log line is about; any other field is kept as given. */
export type LogFields = {
  project_id?: string | null;
  trace_id?: string | null;
  /** The request's id: Cloudflare's `cf-ray` (see `requestIdOf`). */
  request_id?: string | null;
  [field: string]: unknown;
};

type Level = "info" | "warn" | "error";

/** An error's text (its message, or what it says of itself) for a log line or a job's `error` column. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return typeof err === "string" ? err : (JSON.stringify(err) ?? String(err));
}

/** The id a request carries through Cloudflare (its `cf-ray`), null outside Cloudflare's edge. */
export const requestIdOf = (req: Request): string | null => req.headers.get("cf-ray");

function write(level: Level, event: string, fields: LogFields, err?: unknown) {
  const line: Record<string, unknown> = { level, event, at: new Date().toISOString(), ...fields };
  if (err !== undefined) {
    line.error = errorText(err);
    if (err instanceof Error && err.stack) line.stack = err.stack;
  }
  const text = JSON.stringify(line, (_, v) => (typeof v === "bigint" ? String(v) : v));
  if (level === "info") console.log(text);
  else if (level === "warn") console.warn(text);
  else console.error(text);
}

/** The logger: `log.error("queue.write_failed", err, { project_id })`. */
export const log = {
  info: (event: string, fields: LogFields = {}) => write("info", event, fields),
  warn: (event: string, fields: LogFields = {}) => write("warn", event, fields),
  error: (event: string, err: unknown, fields: LogFields = {}) => write("error", event, fields, err),
};
