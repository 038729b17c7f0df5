// The hooks the dashboard uses (useState, useMemo, useRef, useEffect, useLayoutEffect), in ~0.5 KB gz instead of
// preact/hooks' 1.1 KB: Vite resolves `preact/hooks` to this file (vite.config.ts), so no import changes, and each
// export is typed as preact's own (TypeScript still reads preact's types). Layout effects run as Preact commits a
// render, effects after the next paint (a frame, or 35 ms in a hidden tab), cleanups before the next run and on
// unmount; an effect that throws goes to the nearest error boundary. Not here: useContext, useReducer, useCallback,
// useId and the rest (none is used). test/browser/hooks.test.ts pins the behaviour.
import { type Component, options } from "preact";
import type * as Preact from "preact/hooks";

type Deps = readonly unknown[] | undefined;
// biome-ignore lint/suspicious/noExplicitAny: a slot holds what its hook keeps (a memo, a state pair, a ref)
type Slot = { value?: any; deps?: Deps; effect?: () => unknown; cleanup?: unknown };
type Hooked = Component & { __slots?: Slot[]; __gone?: boolean; __v?: unknown };
type Hook = (vnode: { __c?: Hooked }) => void;
const hooked = options as unknown as {
  __r?: Hook;
  unmount?: Hook;
  /** Preact's commit: (root vnode, the components that rendered). */
  __c?: (root: unknown, queue: unknown) => void;
  /** Preact's error routing to the nearest error boundary. */
  __e: (error: unknown, vnode: unknown) => void;
};

/** The component rendering now, and its next hook's index. */
let current: Hooked;
let index = 0;
const layoutEffects = new Map<Slot, Hooked>();
const effects = new Map<Slot, Hooked>();

function slot(): Slot {
  current.__slots ??= [];
  current.__slots[index] ??= {};
  return current.__slots[index++]!;
}
const changed = (s: Slot, deps: Deps) => !deps || !s.deps || deps.some((d, i) => !Object.is(d, s.deps![i]));

function flush(queue: Map<Slot, Hooked>) {
  const due = [...queue];
  queue.clear();
  for (const [s, c] of due)
    if (!c.__gone)
      try {
        if (typeof s.cleanup === "function") s.cleanup();
        s.cleanup = s.effect!();
      } catch (error) {
        hooked.__e(error, c.__v);
      }
}

function afterPaint() {
  const run = () => {
    clearTimeout(timer);
    cancelAnimationFrame(frame);
    setTimeout(() => flush(effects));
  };
  const timer = setTimeout(run, 35);
  const frame = requestAnimationFrame(run);
}

function queued(queue: Map<Slot, Hooked>, effect: () => unknown, deps: Deps) {
  const s = slot();
  if (!changed(s, deps)) return;
  s.deps = deps;
  s.effect = effect;
  if (queue === effects && !effects.size) afterPaint();
  queue.set(s, current);
}

export const useEffect: typeof Preact.useEffect = (effect, deps) => queued(effects, effect, deps);
export const useLayoutEffect: typeof Preact.useLayoutEffect = (effect, deps) => queued(layoutEffects, effect, deps);

export const useMemo: typeof Preact.useMemo = (compute, deps) => {
  const s = slot();
  if (changed(s, deps)) {
    s.value = compute();
    s.deps = deps;
  }
  return s.value;
};

export const useRef = ((initial: unknown) => useMemo(() => ({ current: initial }), [])) as typeof Preact.useRef;

export const useState = ((initial: unknown) => {
  const s = slot();
  const c = current;
  s.value ??= [
    typeof initial === "function" ? initial() : initial,
    (next: unknown) => {
      const value = typeof next === "function" ? next(s.value[0]) : next;
      if (Object.is(value, s.value[0])) return;
      s.value = [value, s.value[1]];
      c.setState({});
    },
  ];
  return s.value;
}) as typeof Preact.useState;

const { __r: render, unmount, __c: commit } = hooked;
hooked.__r = (vnode) => {
  render?.(vnode);
  current = vnode.__c!;
  index = 0;
};
hooked.__c = (root, queue) => {
  flush(layoutEffects);
  commit?.(root, queue);
};
hooked.unmount = (vnode) => {
  unmount?.(vnode);
  const c = vnode.__c;
  if (!c?.__slots) return;
  c.__gone = true;
  for (const s of c.__slots)
    if (typeof s.cleanup === "function")
      try {
        s.cleanup();
      } catch (error) {
        hooked.__e(error, c.__v);
      }
};
