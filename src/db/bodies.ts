// Event bodies kept in R2 (the BODIES bucket) instead of D1. An object's key names its project, then hashes of its trace
// and event ids, then the SHA-256 of its content: bounded whatever the ids (R2 refuses keys over 1,024 bytes), so
// writing one again (a redelivered message) writes the same object, and everything a trace or an event ever wrote
// (earlier folds included) can be listed and deleted by prefix. D1 keeps the pointer, size, hash and a preview: the
// first characters of input, output and message, which the tree's previews read (search indexes a longer prefix of the
// full body, kept as it moves: keepSearchText in search.ts). Pointers written
// before keys were hashed (`project/encoded trace/encoded event/sha256`) keep working; deletion covers both layouts.
import { BODY_LIMITS } from "../../contract/limits.ts";
import type { StoredEvent } from "../../contract/queue.ts";
import { byteLength } from "../lib/json-size.ts";
import { keepSearchText } from "./search.ts";

const encoder = new TextEncoder();
const PREVIEW_FIELDS = ["input", "output", "message"] as const;

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** R2's limit on a key's length, in bytes. */
const MAX_KEY_BYTES = 1024;
/** Hex characters of an id's hash in a key (128 bits). */
const ID_HASH_CHARS = 32;

const idHash = async (id: string) =>
  (await sha256Hex(encoder.encode(id) as Uint8Array<ArrayBuffer>)).slice(0, ID_HASH_CHARS);

/** The key prefix of a project's bodies. */
export const bodyPrefix = (projectId: string) => `${projectId}/`;

/** The key prefix of one trace's bodies (`=` never appears in the encoded ids of the older layout). */
export const traceBodyPrefix = async (projectId: string, traceId: string) => `${projectId}/t=${await idHash(traceId)}/`;

/** The key prefix of one event's bodies: every version a re-folded event wrote. */
export const eventBodyPrefix = async (projectId: string, traceId: string, eventId: string) =>
  `${await traceBodyPrefix(projectId, traceId)}${await idHash(eventId)}/`;

/** Where the older layout kept a trace's (or an event's) bodies; none when such a key could not exist. */
function legacyPrefix(projectId: string, traceId: string, eventId?: string): string[] {
  const prefix = `${projectId}/${encodeURIComponent(traceId)}/${eventId === undefined ? "" : `${encodeURIComponent(eventId)}/`}`;
  return encoder.encode(prefix).byteLength + 64 <= MAX_KEY_BYTES ? [prefix] : [];
}

/** Every prefix under which a trace's bodies may live (this layout and the older one). */
export const tracePrefixes = async (projectId: string, traceId: string) => [
  await traceBodyPrefix(projectId, traceId),
  ...legacyPrefix(projectId, traceId),
];

/** Every prefix under which an event's bodies may live (this layout and the older one). */
export const eventPrefixes = async (projectId: string, traceId: string, eventId: string) => [
  await eventBodyPrefix(projectId, traceId, eventId),
  ...legacyPrefix(projectId, traceId, eventId),
];

/** What D1 keeps of a body in R2: the start of its input, output and message, as text (JSON text for non-strings). */
export function bodyPreview(json: string): string {
  const body = JSON.parse(json) as Record<string, unknown>;
  const preview: Record<string, string> = {};
  for (const field of PREVIEW_FIELDS) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    preview[field] = (typeof value === "string" ? value : JSON.stringify(value)).slice(0, BODY_LIMITS.previewChars);
  }
  return JSON.stringify(preview);
}

/** The consumer's threshold: the BODY_OFFLOAD_BYTES var, or the default when it is unset or not a number. */
export function offloadThreshold(setting: string | undefined): number {
  const n = setting?.trim() ? Number(setting) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : BODY_LIMITS.offloadBytes;
}

/**
 * Moves the bodies larger than `minBytes` of these events to R2 (in place: `body` becomes the preview and the
 * pointer fields are set). Bodies already moved are left alone. Idempotent: the key is content-addressed.
 */
export async function offloadBodies(bucket: R2Bucket, projectId: string, events: StoredEvent[], minBytes: number) {
  await Promise.all(
    events.map(async (e) => {
      // A UTF-16 length within the threshold is within it in bytes only if ≤ minBytes / 3: measure the rest.
      if (e.body === null || e.body_ref !== null || e.body.length <= minBytes / 3) return;
      const bytes = encoder.encode(e.body) as Uint8Array<ArrayBuffer>;
      if (bytes.byteLength <= minBytes) return;
      const sha256 = await sha256Hex(bytes);
      const key = `${await eventBodyPrefix(projectId, e.trace_id, e.event_id)}${sha256}`;
      await bucket.put(key, bytes, {
        httpMetadata: { contentType: "application/json" },
        sha256,
      });
      e.body_ref = key;
      e.body_bytes = bytes.byteLength;
      e.body_sha256 = sha256;
      keepSearchText(e, e.body);
      e.body = bodyPreview(e.body);
    }),
  );
}

/** A stored row's body, fetched from R2 when it lives there; `missing` when the object is gone (the preview stands in). */
export type BodyRead = { body: string | null; bytes: number; missing: boolean };

export async function readBody(
  bucket: R2Bucket,
  row: { body: string | null; body_ref: string | null; body_bytes: number | null },
): Promise<BodyRead> {
  if (row.body_ref === null)
    return { body: row.body, bytes: row.body === null ? 0 : byteLength(row.body), missing: false };
  const object = await bucket.get(row.body_ref);
  if (!object) return { body: row.body, bytes: row.body_bytes ?? 0, missing: true };
  return { body: await object.text(), bytes: row.body_bytes ?? object.size, missing: false };
}

/** The bodies of many rows, `BODY_LIMITS.readConcurrency` R2 reads at a time, in the rows' order. */
export async function readBodies(
  bucket: R2Bucket,
  rows: Array<{ body: string | null; body_ref: string | null; body_bytes: number | null }>,
): Promise<BodyRead[]> {
  const out: BodyRead[] = new Array(rows.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < rows.length; i = next++) out[i] = await readBody(bucket, rows[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(BODY_LIMITS.readConcurrency, rows.length) }, worker));
  return out;
}

/** Deletes R2 objects by key, 1,000 per call (R2's limit). */
export async function deleteBodies(bucket: R2Bucket, keys: string[]) {
  for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
}

/** Deletes every object under a prefix (a project's, a trace's or an event's bodies), a page of 1,000 at a time. */
export async function deleteBodiesUnder(bucket: R2Bucket, prefix: string) {
  for (;;) {
    const page = await bucket.list({ prefix, limit: 1000 });
    if (!page.objects.length) return;
    await bucket.delete(page.objects.map((o) => o.key));
    if (!page.truncated) return;
  }
}
