import { useSignal } from "@preact/signals";

/** A value shown in monospace with a copy button. */
export function Copy({ value, label }: { value: string; label: string }) {
  const copied = useSignal(false);
  return (
    <div class="copy">
      <code aria-label={label}>{value}</code>
      <button
        type="button"
        onClick={async () => {
          await navigator.clipboard?.writeText(value).catch(() => undefined);
          copied.value = true;
          setTimeout(() => (copied.value = false), 1500);
        }}
      >
        {copied.value ? "Copied" : "Copy"}
      </button>
    </div>
  );
}
