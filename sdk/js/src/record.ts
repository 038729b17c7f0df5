// Shared by the auto-instrumentations: where a call is recorded (a span of yours, or a new trace of its own).
import { defaultClient, type WatchLLMClient } from "./client.ts";
import type { ModelResponseOptions, Span } from "./span.ts";

export type ObserveOptions = {
  /** Record into this client (default: the most recently created one). */
  client?: WatchLLMClient;
  /** Record calls as children of this span or trace; otherwise each call is a trace of its own. */
  parent?: Span;
};

export function recordCall(options: ObserveOptions, call: ModelResponseOptions) {
  try {
    if (options.parent) return options.parent.modelResponse(call);
    const client = options.client ?? defaultClient();
    if (!client?.enabled) return;
    const trace = client.trace({ name: call.name ?? call.model });
    trace.modelResponse(call);
  } catch {
    // recording must never break the user's call
  }
}
