// The client: one bounded queue, flushed in batches by size or time; a batch that can't be delivered goes back to
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
  toWire,
} from "./span.ts";
import { send, sendOnExit } from "./transport.ts";
import { type ClientOptions, WatchLLMError, type WireEvent, type WireScore } from "./types.ts";

/** Events and scores share the queue (and its bound); a score is queued in the wire format. */
type Item = Ev | WireScore;

/** A score sent later, e.g. end-user feedback from a browser that got the trace id from the server. */
export type ScoreInput = ScoreOptions & { traceId: string; eventId?: string; name: string; value: ScoreValue };

export type WatchLLMClient = ReturnType<typeof createClient>;

let lastClient: WatchLLMClient | undefined;
/** The most recently created client (what `observeOpenAI` / `observeFetch` record into by default). */
export const defaultClient = () => lastClient;

export function createClient(options: ClientOptions = {}) {
  const o = resolve(options);
  let queue: Item[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain: Promise<void> = Promise.resolve();
  let dropped = 0;
  let inFlight = 0;
  /** A size-triggered flush is waiting to start: don't chain another per event. */
  let kicked = false;

  const trim = () => {
    const over = queue.length - o.maxQueueSize;
    if (over <= 0) return;
    queue.splice(0, over);
    dropped += over;
    o.onError(
      new WatchLLMError("dropped", `queue full: dropped the ${over} oldest event(s)`, { dropped_total: dropped }),
    );
  };

  const schedule = () => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, o.flushIntervalMs);
    (timer as { unref?: () => void }).unref?.(); // never keep a Node process alive just for this
  };

  // Where and which version of the app every event comes from (an event's own context wins).
  const stamp = o.environment || o.release ? { environment: o.environment, release: o.release } : undefined;

  /** A batch as the wire format: its events (in `toWire`'s form) and its scores. */
  const split = (batch: Item[]): [WireEvent[], WireScore[]] => {
    const events: WireEvent[] = [];
    const scores: WireScore[] = [];
    for (const item of batch) item instanceof Ev ? events.push(toWire(item, stamp)) : scores.push(item);
    return [events, scores];
  };

  async function drain() {
    kicked = false;
    while (queue.length) {
      const batch = queue.splice(0, o.flushAt);
      inFlight = batch.length;
      const [events, scores] = split(batch);
      const sentEvents = !events.length || (await send(o, events));
      const sentScores = !scores.length || (await send(o, scores, "scores"));
      inFlight = 0;
      if (!sentEvents || !sentScores) {
        queue = batch.filter((item) => (item instanceof Ev ? !sentEvents : !sentScores)).concat(queue);
        trim();
        schedule();
        return;
      }
    }
  }

  /** Sends everything queued; resolves when it is delivered or given back to the queue (never rejects). */
  function flush(): Promise<void> {
    chain = chain.then(drain).catch((err) => o.onError(new WatchLLMError("internal", String(err))));
    return chain;
  }

  function enqueue(item: Item) {
    if (queue.push(item) > o.maxQueueSize) trim();
    if (queue.length < o.flushAt) schedule();
    else if (!kicked) {
      kicked = true;
      void flush();
    }
  }

  // Browsers: hand what is queued to keepalive fetch / sendBeacon when the page is hidden or unloaded.
  const g = globalThis as {
    document?: { visibilityState?: string };
    addEventListener?: (type: string, fn: (e: { type: string }) => void) => void;
    removeEventListener?: (type: string, fn: (e: { type: string }) => void) => void;
  };
  const onExit = (e: { type: string }) => {
    if (!queue.length || (e.type !== "pagehide" && g.document?.visibilityState !== "hidden")) return;
    const [events, scores] = split(queue);
    queue = [];
    sendOnExit(o, events);
    sendOnExit(o, scores, "scores");
  };
  const exitEvents = o.enabled && g.document ? ["visibilitychange", "pagehide"] : [];
  for (const type of exitEvents) g.addEventListener?.(type, onExit);

  const q = o.enabled ? enqueue : undefined;
  const client = {
    /** Starts a trace; returns its root span (`.span()`, `.modelResponse()`, `.toolCall()`, `.log()`, `.error()`, `.end()`). */
    trace: (t: TraceOptions) => makeTrace(q, t),
    /** Records a model call as a trace of its own (the call is the trace's root). */
    modelResponse: (m: ModelResponseOptions) => recordRootCall(q, m),
    /**
     * Scores a trace (or one event of it) later, with the same delivery as events, e.g. a user's thumbs:
     * `client.score({ traceId, name: "thumbs", value: true, source: "feedback" })`.
     */
    score: (s: ScoreInput) => {
      if (o.enabled) enqueue(scoreOf(s.traceId, s.eventId, s.name, s.value, s));
    },
    flush,
    /** Flushes and stops the timer and page listeners. */
    async shutdown() {
      clearTimeout(timer);
      timer = undefined;
      for (const type of exitEvents) g.removeEventListener?.(type, onExit);
      await flush();
    },
    /** Events and scores not yet delivered: queued or being sent (for tests and health checks). */
    get queued() {
      return queue.length + inFlight;
    },
    enabled: o.enabled,
  };
  lastClient = client;
  return client;
}
