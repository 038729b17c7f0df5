// The client: bounded queues (events, scores), flushed in batches by size or time; a batch that can't be delivered goes back to
// the front of the queue for the next flush, so an outage loses nothing (within maxQueueSize).
import { clean, orEnv } from "./options.ts";
import {
  Ev,
  type ModelResponseOptions,
  makeTrace,
  modelCall,
  type ScoreInput,
  scoreOf,
  type TraceOptions,
} from "./span.ts";
import { type HandOff, type Report, sender } from "./transport.ts";
import { type ClientOptions, WatchLLMError, type WireScore } from "./types.ts";

export type WatchLLMClient = ReturnType<typeof createClient>;

let lastClient: WatchLLMClient | undefined;
/** The most recently created client (what `observeOpenAI` / `observeFetch` record into by default). */
export const defaultClient = () => lastClient;

export function createClient(options: ClientOptions = {}) {
  // The options with their defaults applied, as locals (what the bundle repeats is then one letter).
  const { onError, debug, apiKey, enabled = true } = options;
  const url = (options.baseUrl ?? "https://api.watchllm.dev").replace(/\/+$/, "");
  const flushAt = Math.min(1000, Math.max(1, options.flushAt ?? 50));
  const flushMs = options.flushIntervalMs ?? 1000;
  const maxQueue = options.maxQueueSize ?? 10_000;
  const fetcher = options.fetch ?? (((...args) => fetch(...args)) as typeof fetch);
  /** Where and which version of the app every event comes from (under an event's own context), if known. */
  const env = clean({ environment: orEnv(options, "environment"), release: orEnv(options, "release") });
  const on = enabled && !!apiKey;
  const warned: Record<string, boolean> = {};
  /** Where delivery problems go: `onError`, else one console warning per code (every one with `debug`). */
  const report: Report = (code, message, details) => {
    // The warning, once per code: the code, what happened, at which URL; the details (the server's reasons) beside it.
    if (debug || !(onError || warned[code])) console.warn(`WatchLLM ${code}: ${message} [${url}]`, details ?? "");
    warned[code] = true;
    try {
      onError?.(new WatchLLMError(code, message, details));
    } catch {
      // a throwing handler must not break delivery
    }
  };
  // A missing key (often an environment variable not exported) turns recording off: say so, as the Python SDK does.
  if (enabled && !on) report("no_api_key", "No apiKey: nothing recorded (is WATCHLLM_INGEST_KEY set?)");
  const send = sender(
    url,
    apiKey,
    fetcher,
    Math.max(1, options.maxRetries ?? 3),
    options.backoffMs ?? 1000,
    options.timeoutMs ?? 5000,
    debug,
    report,
  );
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
    const over = queue.length - maxQueue;
    if (over <= 0) return;
    queue.splice(0, over);
    dropped += over;
    report("dropped", `queue full: dropped the ${over} oldest`, { dropped_total: dropped });
  };

  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, flushMs);
    (timer as { unref?: () => void }).unref?.(); // never keep a Node process alive just for this
  };

  async function drain() {
    kicked = false;
    for (const [kind, queue] of lanes)
      while (queue.length) {
        const batch = queue.splice(0, flushAt);
        inFlight = batch.length;
        const sent = await send(batch, kind);
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
  const flush = (): Promise<void> => (chain = chain.then(drain).catch((err) => report("internal", String(err))));

  function enqueue(item: Ev | WireScore) {
    const queue: unknown[] = item instanceof Ev ? events : scores;
    queue.push(item);
    trim(queue);
    if (queue.length < flushAt) schedule();
    else if (!kicked) {
      kicked = true;
      void flush();
    }
  }

  const q = on ? enqueue : undefined;
  const client = {
    /** Starts a trace; returns its root span (`.span()`, `.modelResponse()`, `.toolCall()`, `.log()`, `.error()`, `.end()`). */
    trace: (t: TraceOptions) => makeTrace(q, env, t),
    /** Records a model call as a trace of its own (the call is the trace's root). */
    modelResponse: (m: ModelResponseOptions) => modelCall({ _q: q, _env: env }, null, m),
    /**
     * Scores a trace (or one event of it) later, with the same delivery as events, e.g. a user's thumbs:
     * `client.score({ traceId, name: "thumbs", value: true, source: "feedback" })`.
     */
    score: (s: ScoreInput): void => q?.(scoreOf(s)),
    flush,
    /** Flushes and stops the timer. */
    shutdown(): Promise<void> {
      clearTimeout(timer);
      timer = undefined;
      return flush();
    },
    /** @internal Hands everything queued, in the wire format, to `deliver` at once (flushOnPageExit's path). */
    _handOff(deliver: HandOff) {
      for (const [kind, queue] of lanes) deliver(queue.splice(0), kind, url, apiKey!, fetcher);
    },
    /** Events and scores not yet delivered: queued or being sent (for tests and health checks). */
    get queued() {
      return events.length + scores.length + inFlight;
    },
    enabled: on,
  };
  lastClient = client;
  return client;
}
