// Shared by the auto-instrumentations: where a call is recorded (a span of yours, or a trace of its own).
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
    (options.parent ?? options.client ?? defaultClient())?.modelResponse(call);
  } catch {
    // recording must never break the user's call
  }
}

/** A span for work of several calls (a tool run): under the parent, or the root of a new trace; none without a client. */
export const openSpan = (options: ObserveOptions, name: string, input?: unknown): Span | undefined =>
  options.parent ? options.parent.span({ name, input }) : (options.client ?? defaultClient())?.trace({ name, input });

/** Sets a property on the object itself (the client's methods: its prototype is the library's; a Response's url). */
export const patch = (target: object, name: string, value: unknown) =>
  Object.defineProperty(target, name, { configurable: true, writable: true, value });
