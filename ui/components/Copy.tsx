import { useSignal } from "@preact/signals";

/** A button that copies `text` to the clipboard and says so; `label` names what it copies for screen readers. */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const copied = useSignal(false);
  return (
    <button
      type="button"
      aria-label={label}
      onClick={async () => {
        await navigator.clipboard?.writeText(text).catch(() => undefined);
        copied.value = true;
        setTimeout(() => (copied.value = false), 1500);
      }}
    >
      {copied.value ? "Copied" : "Copy"}
    </button>
  );
}

/** A value shown in monospace with a copy button. */
export function Copy({ value, label }: { value: string; label: string }) {
  return (
    <div class="copy">
      <input readOnly value={value} aria-label={label} onFocus={(e) => e.currentTarget.select()} />
      <CopyButton text={value} />
    </div>
  );
}
