// The one contract: every shape that crosses a boundary of WatchLLM (wire events, queue messages, read answers,
// errors, limits). The Worker validates with these schemas; the dashboard and the SDK derive their types from them.
export * from "./accounts.ts";
export * from "./alerts.ts";
export * from "./constants.ts";
export * from "./costs.ts";
export * from "./data.ts";
export * from "./errors.ts";
export * from "./event.ts";
export * from "./jobs.ts";
export * from "./json.ts";
export * from "./langfuse.ts";
export * from "./limits.ts";
export * from "./metrics.ts";
export * from "./providers.ts";
export * from "./query-params.ts";
export * from "./queue.ts";
export * from "./routes.ts";
export * from "./score-metrics.ts";
export * from "./scores.ts";
export * from "./shares.ts";
export * from "./trace-query.ts";
export * from "./traces.ts";
export * from "./usage.ts";
