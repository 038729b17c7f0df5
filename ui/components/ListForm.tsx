// The settings tabs' shared parts: a section with its title, intro and failures; a list read with the changes made to
// it (each reads the list again; a delete asks first when told what to ask); the actions column and its buttons; text
// columns; a form's submitted fields. One copy here instead of one per tab (they load together: ui/pages/chunks/).
import type { Signal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import type { ApiUrl } from "../../contract/routes.ts";
import { type ApiInit, api } from "../lib/api.ts";
import { useAction, useApi } from "../lib/use-api.ts";
import { ErrorNote } from "./ErrorNote.tsx";
import type { Column } from "./Table.tsx";

type PanelProps = {
  title: ComponentChildren;
  /** A muted line on what the section is. */
  intro?: ComponentChildren;
  /** The failures of its reads and changes, each shown (dismissible) above the content. */
  errors?: Array<Signal<string | null>>;
  children?: ComponentChildren;
  class?: string;
  id?: string;
  "data-testid"?: string;
};

/** A settings section: its title, a line on what it is, the failures of its reads and changes, then its content. */
export function Panel({ title, intro, errors = [], children, ...rest }: PanelProps) {
  return (
    <section {...rest}>
      <h2>{title}</h2>
      {intro && <p class="muted">{intro}</p>}
      {errors.map((error, i) => (
        <ErrorNote key={i} error={error} />
      ))}
      {children}
    </section>
  );
}

/**
 * A list read (useApi) and the changes made to it (useAction): `change` runs one, after `ask` is confirmed when given,
 * then reads the list again; `remove` is a change that DELETEs `url`. `errors` are both failures, for a Panel.
 */
export function useList<U extends ApiUrl>(path: U | null, options: { project?: string; pollMs?: number } = {}) {
  const list = useApi(path, options);
  const action = useAction();
  const change = (work: (init: Pick<ApiInit, "signal">) => Promise<unknown>, ask?: string) =>
    action.run(async (init) => {
      if (ask && !confirm(ask)) return;
      await work(init);
      list.reload();
    });
  // `api` untyped here: a DELETE route has no body, which its overloads can't tell for any `url` at once. (`request`
  // would be one more export of the entry chunk, on every page.)
  const remove = (url: ApiUrl<"DELETE">, ask?: string) =>
    change(
      (init) =>
        (api as (path: string, init: ApiInit) => Promise<unknown>)(url, {
          ...init,
          method: "DELETE",
          project: options.project,
        }),
      ask,
    );
  return { list, action, change, remove, errors: [list.error, action.error] };
}

/** The last column: its buttons, under a header only screen readers read. */
export const actionsColumn = <R,>(cell: (row: R) => ComponentChildren, width = "7rem"): Column<R> => ({
  label: "Actions",
  header: <span class="sr-only">Actions</span>,
  width,
  class: "actions",
  cell,
});

/** A red button (revoke, remove, delete); `label` names what it acts on for screen readers. */
export const DangerButton = ({ text, onClick, label }: { text: string; onClick: () => unknown; label?: string }) => (
  <button type="button" class="danger" onClick={onClick} aria-label={label}>
    {text}
  </button>
);

/** A column of text that the cell's tooltip repeats in full when it is cut. */
export const textColumn = <R,>(label: string, text: (row: R) => string, more?: Partial<Column<R>>): Column<R> => ({
  label,
  title: text,
  cell: text,
  ...more,
});

/** A submit handler that hands over the form's fields (trimmed text, "" when absent) and the form. */
export const onFields =
  (then: (field: (name: string) => string, form: HTMLFormElement) => void) =>
  (e: Event): void => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    then((name) => String(data.get(name) ?? "").trim(), form);
  };
