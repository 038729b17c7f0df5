import type { ComponentChildren } from "preact";
import { navigate, path } from "../state/router.ts";

export function Link({ href, children, class: cls }: { href: string; children: ComponentChildren; class?: string }) {
  const active = path.value === href || path.value.startsWith(`${href}/`);
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
