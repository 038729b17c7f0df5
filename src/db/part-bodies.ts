// Large bodies of event parts (a Langfuse item carries up to ~1 MB of input or output), kept in R2 like the bodies of
// whole events: the way in writes a part's body to the trace's prefix and the part travels with a pointer
// (`fields.body_ref`); the consumer reads the bodies back before folding. Keys are content-addressed, so writing one
// again (a retried request) writes the same object, and deleting a trace's prefix deletes them too.
import { LIMITS } from "../../contract/limits.ts";
import type { EventPart } from "../../contract/queue.ts";
import { byteLength } from "../lib/json-size.ts";
import { eventBodyPrefix } from "./bodies.ts";
import type { PartRow } from "./writes/parts.ts";

const encoder = new TextEncoder();

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Moves the body of every part larger than LIMITS.maxPartBodyBytes to R2 (in place: `body` becomes `body_ref`). */
export async function offloadPartBodies(bucket: R2Bucket, projectId: string, parts: EventPart[]) {
  await Promise.all(
    parts.map(async (p) => {
      const body = p.fields.body;
      if (body === undefined) return;
      const json = JSON.stringify(body);
      if (json.length * 3 <= LIMITS.maxPartBodyBytes || byteLength(json) <= LIMITS.maxPartBodyBytes) return;
      const bytes = encoder.encode(json) as Uint8Array<ArrayBuffer>;
      const sha256 = await sha256Hex(bytes);
      const key = `${await eventBodyPrefix(projectId, p.trace_id, p.event_id)}part-${sha256}`;
      await bucket.put(key, bytes, { httpMetadata: { contentType: "application/json" }, sha256 });
      const { body: _moved, ...rest } = p.fields;
      p.fields = { ...rest, body_ref: key };
    }),
  );
}

/** The parts with their R2 bodies read back into `fields.body` (a body whose object is gone is left out). */
export async function loadPartBodies(bucket: R2Bucket, rows: PartRow[]): Promise<PartRow[]> {
  return Promise.all(
    rows.map(async (row) => {
      if (!row.fields.includes('"body_ref"')) return row;
      const { body_ref: key, ...fields } = JSON.parse(row.fields) as Record<string, unknown>;
      if (typeof key !== "string") return row;
      const object = await bucket.get(key);
      if (object) fields.body = JSON.parse(await object.text());
      return { ...row, fields: JSON.stringify(fields) };
    }),
  );
}
