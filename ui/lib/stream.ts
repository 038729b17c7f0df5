// Was a model call streamed, and when did its first token arrive? From the event's `first_token_ms` where the API
// returns it, else from what the ways in store: the request's `stream` param, metadata `time_to_first_token_ms`
// (SDKs) or, for streams, `ttft_ms` (the gateway, which sets it for every call).
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

export type StreamInfo = { streamed: boolean; firstTokenMs?: number };

export function streamInfo(event: object, body: Obj | null | undefined, context?: Obj | null): StreamInfo {
  const metadata = obj(context?.metadata) ?? {};
  const column = num((event as { first_token_ms?: unknown }).first_token_ms);
  const sdk = num(metadata.time_to_first_token_ms);
  const streamed =
    column !== undefined ||
    sdk !== undefined ||
    obj(body?.params)?.stream === true ||
    metadata.stream === true ||
    metadata.streamed === true;
  const firstTokenMs = column ?? sdk ?? (streamed ? num(metadata.ttft_ms) : undefined);
  return { streamed, ...(firstTokenMs !== undefined && { firstTokenMs }) };
}
