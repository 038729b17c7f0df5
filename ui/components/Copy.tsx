import { useSignal } from "@preact/signals";

/** A button that copies `text` to the clipboard and says so; `label` names what it copies for screen readers. */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const state = useSignal<"idle" | "copied" | "failed">("idle");
  return (
    <button
      type="button"
      aria-label={label}
      onClick={async () => {
        // The clipboard needs a secure context and permission; say so when it refuses.
        state.value = await (navigator.clipboard?.writeText(text) ?? Promise.reject()).then(
          () => "copied" as const,
          () => "failed" as const,
        );
        setTimeout(() => (state.value = "idle"), 2000);
      }}
    >
      {state.value === "copied" ? "Copied" : state.value === "failed" ? "Copy failed: select it" : "Copy"}
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
