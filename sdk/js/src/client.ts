// The client: bounded queues (events, scores), flushed in batches by size or time; a batch that can't be delivered goes back to
// the front of the queue for the next flush, so an outage loses nothing (within maxQueueSize).
import { resolve } from "./options.ts";
import {
  Ev,
  type ModelResponseOptions,
  makeTrace,
  recordRootCall,
  type ScoreOptions,
  type ScoreValue,
  scoreOf,
  type TraceOptions,
} from "./span.ts";
import { type HandOff, send } from "./transport.ts";
import { type ClientOptions, WatchLLMError, type WireScore } from "./types.ts";

/** A score sent later, e.g. end-user feedback from a browser that got the trace id from the server. */
export type ScoreInput = ScoreOptions & { traceId: string; eventId?: string; name: string; value: ScoreValue };

export type WatchLLMClient = ReturnType<typeof createClient>;

let lastClient: WatchLLMClient | undefined;
/** The most recently created client (what `observeOpenAI` / `observeFetch` record into by default). */
export const defaultClient = () => lastClient;

export function createClient(options: ClientOptions = {}) {
  const o = resolve(options);
  // A queue per endpoint: events (in the wire format when sent: `Ev.toJSON`) and scores (queued in the wire format).
  const events: Ev[] = [];
  const scores: WireScore[] = [];
  const lanes = [
    ["events", events],
    ["scores", scores],
  ] as const;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain: Promise<void> = Promise.resolve();
  let dropped = 0;
  let inFlight = 0;
  /** A size-triggered flush is waiting to start: don't chain another per event. */
  let kicked = false;

  const trim = (queue: unknown[]) => {
    const over = queue.length - o._maxQueue;
    if (over <= 0) return;
    queue.splice(0, over);
    dropped += over;
    o._onError(new WatchLLMError("dropped", `queue full: dropped the ${over} oldest`, { dropped_total: dropped }));
  };

  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, o._flushMs);
    (timer as { unref?: () => void }).unref?.(); // never keep a Node process alive just for this
  };

  async function drain() {
    kicked = false;
    for (const [kind, queue] of lanes)
      while (queue.length) {
        const batch = queue.splice(0, o._flushAt);
        inFlight = batch.length;
        const sent = await send(o, batch, kind);
        inFlight = 0;
        if (!sent) {
          (queue as unknown[]).unshift(...batch);
          trim(queue);
          schedule();
          return;
        }
      }
  }

  /** Sends everything queued; resolves when it is delivered or given back to the queue (never rejects). */
  function flush(): Promise<void> {
    chain = chain.then(drain).catch((err) => o._onError(new WatchLLMError("internal", String(err))));
    return chain;
  }

  function enqueue(item: Ev | WireScore) {
    const queue: unknown[] = item instanceof Ev ? events : scores;
    if (queue.push(item) > o._maxQueue) trim(queue);
    if (queue.length < o._flushAt) schedule();
    else if (!kicked) {
      kicked = true;
      void flush();
    }
  }

  const q = o._on ? enqueue : undefined;
  const client = {
    /** Starts a trace; returns its root span (`.span()`, `.modelResponse()`, `.toolCall()`, `.log()`, `.error()`, `.end()`). */
    trace: (t: TraceOptions) => makeTrace(q, o._env, t),
    /** Records a model call as a trace of its own (the call is the trace's root). */
    modelResponse: (m: ModelResponseOptions) => recordRootCall(q, o._env, m),
    /**
     * Scores a trace (or one event of it) later, with the same delivery as events, e.g. a user's thumbs:
     * `client.score({ traceId, name: "thumbs", value: true, source: "feedback" })`.
     */
    score: (s: ScoreInput): void => q?.(scoreOf(s.traceId, s.eventId, s.name, s.value, s)),
    flush,
    /** Flushes and stops the timer. */
    async shutdown() {
      clearTimeout(timer);
      timer = undefined;
      await flush();
    },
    /** @internal Hands everything queued, in the wire format, to `deliver` at once (flushOnPageExit's path). */
    _handOff(deliver: HandOff) {
      for (const [kind, queue] of lanes) deliver(o, queue.splice(0), kind);
    },
    /** Events and scores not yet delivered: queued or being sent (for tests and health checks). */
    get queued() {
      return events.length + scores.length + inFlight;
    },
    enabled: o._on,
  };
  lastClient = client;
  return client;
}
