// `/` focuses the page's search box (unless you are typing somewhere already).
import { useEffect } from "preact/hooks";

export function useSlashFocus(id: string) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.key !== "/" || target.closest("input, textarea, select")) return;
      e.preventDefault();
      document.getElementById(id)?.focus();
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [id]);
}
