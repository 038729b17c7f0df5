// Ids from other systems can be longer and looser than WatchLLM's (Langfuse's: up to 800 characters, anything but
// `\r`; LiteLLM puts request metadata in them). An id the contract takes is stored as it is; any other is stored as
// a bounded id made of its start and a hash of all of it, so two ids never share a stored id and the same id always
// maps to the same one. The read routes map a requested id the same way, so it reads back by the id the client sent.
import { id as contractId } from "../../contract/event.ts";

const HASH_HEX = 32;
const PREFIX_CHARS = 40;

async function sha256Hex(text: string) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest.slice(0, HASH_HEX / 2), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** `text` when it has at most `maxChars` printable characters, else its printable start, `~`, and a hash of it. */
export async function boundedText(text: string, maxChars: number): Promise<string> {
  if (text.length <= maxChars && !/[\p{Cc}\p{Cs}]/u.test(text)) return text;
  const start = Array.from(text.replace(/[\p{Cc}\p{Cs}]/gu, "_"))
    .slice(0, PREFIX_CHARS)
    .join("");
  return `${start}~${await sha256Hex(text)}`;
}

/** The id WatchLLM stores for a Langfuse id (the id itself whenever the contract takes it). */
export async function storedId(id: string): Promise<string> {
  return contractId.safeParse(id).success ? id : boundedText(id, 0);
}
