// The rendered width of an element, kept current by a ResizeObserver (charts and axes lay out in pixels).
import { type Signal, useSignal } from "@preact/signals";
import type { RefObject } from "preact";
import { useEffect } from "preact/hooks";

export function useWidth(ref: RefObject<HTMLElement | SVGElement | null>, fallback = 0): Signal<number> {
  const width = useSignal(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => (width.value = el.getBoundingClientRect().width || fallback);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref.current]);
  return width;
}
