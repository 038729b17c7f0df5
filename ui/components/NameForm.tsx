// The one-field form that names something new (a project, an org): a labelled name input and its button, on one row.
import type { ComponentChildren } from "preact";

type Props = {
  label: ComponentChildren;
  placeholder: string;
  button: string;
  busy: boolean;
  onSubmit: (e: Event) => void;
  /** Fields before the name (e.g. which org). */
  children?: ComponentChildren;
};

export function NameForm({ label, placeholder, button, busy, onSubmit, children }: Props) {
  return (
    <form class="inline" onSubmit={onSubmit}>
      {children}
      <label>
        {label}
        <input name="name" required placeholder={placeholder} />
      </label>
      <button type="submit" disabled={busy}>
        {button}
      </button>
    </form>
  );
}
