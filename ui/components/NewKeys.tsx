// A new project's keys in plaintext, shown once (after sign-up or project creation) with copy buttons, like a key
// created in Settings; "I've saved them" forgets the secret one.
import { forgetKey } from "../state/session.ts";
import { Copy } from "./Copy.tsx";

type Props = { project: string; keys: { ingest?: string; secret?: string } };

export function NewKeys({ project, keys }: Props) {
  return (
    <div class="notice new-keys" data-testid="new-keys">
      <p>
        <strong>Your project's keys.</strong> Copy them now: they won't be shown again (Settings can create new ones).
      </p>
      {keys.ingest && (
        <div class="key">
          <p class="muted">Ingest key: only sends events, safe in a browser.</p>
          <Copy value={keys.ingest} label="Ingest key" />
        </div>
      )}
      {keys.secret && (
        <div class="key">
          <p class="muted">Secret key: also reads this project's data (the API); keep it on servers.</p>
          <Copy value={keys.secret} label="Secret key" />
        </div>
      )}
      {keys.secret && (
        <button type="button" onClick={() => forgetKey(project, "secret")}>
          I've saved them
        </button>
      )}
    </div>
  );
}
