// A failure shown to the user with the API's message; dismissible when given a signal.
import type { Signal } from "@preact/signals";

export function ErrorNote({ error }: { error: Signal<string | null> | string | null }) {
  const text = typeof error === "string" || error === null ? error : error.value;
  if (!text) return null;
  return (
    <div class="error-note" role="alert">
      <span>{text}</span>
      {typeof error === "object" && error !== null && (
        <button type="button" class="link" aria-label="Dismiss" onClick={() => (error.value = null)}>
          ✕
        </button>
      )}
    </div>
  );
}
