// The shape of one convention's mapping table, and the attribute reader the tables use: every attribute a table
// takes a field from is marked used, and whatever no table used ends up in the event's metadata.
import type { EventType } from "../../../contract/constants.ts";
import type { Usage } from "../../../contract/event.ts";
import { type Attributes, keysUnder, toNumber, unflatten } from "../attributes.ts";

export type { EventType, Usage };
export type SpanEventView = { name: string; attrs: Attributes };

/** A span's attributes, remembering which ones were read into a field. */
export class SpanAttrs {
  readonly used = new Set<string>();
  readonly all: Attributes;
  readonly name: string;
  readonly events: readonly SpanEventView[];
  constructor(all: Attributes, name: string, events: readonly SpanEventView[]) {
    this.all = all;
    this.name = name;
    this.events = events;
  }

  /** The value of `key` (marked used when present). */
  get(key: string): unknown {
    const value = this.all[key];
    if (value === undefined || value === null || value === "") return undefined;
    this.used.add(key);
    return value;
  }

  /** The first of `keys` that is present. */
  first(keys: readonly string[]): unknown {
    for (const key of keys) {
      const value = this.get(key);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /** A number from the first of `keys` that holds one. */
  number(keys: readonly string[]): number | undefined {
    for (const key of keys) {
      const n = toNumber(this.all[key]);
      if (n !== undefined) {
        this.used.add(key);
        return n;
      }
    }
    return undefined;
  }

  /** Flattened attributes under `prefix` rebuilt into a value (see `unflatten`), all marked used. */
  nested(prefix: string): unknown {
    const value = unflatten(this.all, prefix);
    if (value !== undefined) for (const key of keysUnder(this.all, prefix)) this.used.add(key);
    return value;
  }

  /** Attributes no table read. */
  unused(): Attributes {
    const out: Attributes = {};
    for (const key in this.all) if (!this.used.has(key)) out[key] = this.all[key];
    return out;
  }
}

type Read<T> = (span: SpanAttrs) => T | undefined;

/**
 * One convention's table. Scalar fields list attribute keys in order of preference; the others are readers.
 * `map.ts` asks the conventions in a fixed order and takes the first answer for each field.
 */
export type Convention = {
  name: string;
  /** The span's type when this convention recognizes it. */
  type: Read<EventType>;
  model: readonly string[];
  provider: readonly string[];
  user: readonly string[];
  session: readonly string[];
  tags: readonly string[];
  /** Asked only for model calls, so aggregate usage on parent spans is never counted. */
  usage: Read<Usage>;
  cost: Read<number>;
  input: Read<unknown>;
  output: Read<unknown>;
  /** A failure this convention records outside the span status (e.g. Langfuse's level ERROR): its message. */
  error?: Read<string>;
  /** Extra metadata this convention carries as one JSON attribute (OpenInference `metadata`). */
  metadata?: Read<Record<string, unknown>>;
  /** A name the user chose for the span (an agent's or a function's), preferred to the library's generated one. */
  spanName?: Read<string>;
  /** Span events this convention reads as data; they do not become log children. */
  events?: readonly string[];
};

/** Usage from token-count attribute lists; undefined when neither input nor output is present. */
export function usageFrom(
  span: SpanAttrs,
  keys: {
    input: readonly string[];
    output: readonly string[];
    cacheRead?: readonly string[];
    cacheWrite?: readonly string[];
  },
): Usage | undefined {
  const input = span.number(keys.input);
  const output = span.number(keys.output);
  if (input === undefined && output === undefined) return undefined;
  const usage: Usage = { input_tokens: input ?? 0, output_tokens: output ?? 0 };
  const cacheRead = keys.cacheRead && span.number(keys.cacheRead);
  const cacheWrite = keys.cacheWrite && span.number(keys.cacheWrite);
  if (cacheRead !== undefined) usage.cached_input_tokens = cacheRead;
  if (cacheWrite !== undefined) usage.cache_write_tokens = cacheWrite;
  return usage;
}
