// watchllm: trace LLM apps. See README.md.
export { createClient, type WatchLLMClient } from "./client.ts";
export { observeFetch } from "./fetch.ts";
export { observeOpenAI } from "./openai.ts";
export { flushOnPageExit } from "./page-exit.ts";
export type { ObserveOptions } from "./record.ts";
export type {
  EndOptions,
  ModelResponseOptions,
  ScoreInput,
  ScoreOptions,
  ScoreValue,
  Span,
  SpanOptions,
  ToolCallOptions,
  TraceOptions,
} from "./span.ts";
export { type ClientOptions, type Usage, WatchLLMError, type WireEvent, type WireScore } from "./types.ts";
