import type { ComponentChildren } from "preact";
import { navigate, path } from "../state/router.ts";

type Props = {
  href: string;
  children: ComponentChildren;
  class?: string /** Current only on this very path. */;
  exact?: boolean;
};

export function Link({ href, children, class: cls, exact }: Props) {
  const active = path.value === href || (!exact && path.value.startsWith(`${href}/`));
  return (
    <a
      href={href}
      class={cls}
      aria-current={active ? "page" : undefined}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
