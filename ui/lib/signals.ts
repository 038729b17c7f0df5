// The part of @preact/signals the dashboard uses (signal, computed, useSignal), in ~0.5 KB gz instead of 3.7 KB:
// a component that reads a signal's `.value` while it renders re-renders when that signal changes. Vite and
// TypeScript resolve `@preact/signals` to this file (vite.config.ts, ui/tsconfig.json). Not supported, on purpose:
// a signal passed straight into JSX as a child or an attribute (read `.value`), effect(), batch().
import { type Component, options } from "preact";
import { useMemo } from "preact/hooks";

type Reader = { update: () => void; sources: Set<Signal<unknown>> };
type Hook = (vnode: { __c?: Watched }) => void;
type Hooks = { __r?: Hook; diffed?: Hook; unmount?: Hook };
type Watched = Component & { __signals?: Reader };

/** What is being computed or rendered now: a signal read adds itself to its sources. */
let reading: Reader | undefined;

function forget(reader: Reader) {
  for (const source of reader.sources) source.readers.delete(reader);
  reader.sources.clear();
}

function track<T>(reader: Reader, run: () => T): T {
  const outer = reading;
  forget(reader);
  reading = reader;
  try {
    return run();
  } finally {
    reading = outer;
  }
}

export class Signal<T> {
  readers = new Set<Reader>();
  constructor(protected current: T) {}
  get value(): T {
    if (reading) {
      this.readers.add(reading);
      reading.sources.add(this as Signal<unknown>);
    }
    return this.current;
  }
  set value(next: T) {
    if (Object.is(next, this.current)) return;
    this.current = next;
    this.changed();
  }
  protected changed() {
    for (const reader of [...this.readers]) reader.update();
  }
}

export type ReadonlySignal<T> = Omit<Signal<T>, "value"> & { readonly value: T };

export const signal = <T>(value: T) => new Signal(value);

class Computed<T> extends Signal<T> {
  private stale = true;
  private reader: Reader = {
    sources: new Set(),
    update: () => {
      if (this.stale) return;
      this.stale = true;
      this.changed();
    },
  };
  constructor(private compute: () => T) {
    super(undefined as T);
  }
  override get value(): T {
    if (this.stale) {
      this.current = track(this.reader, this.compute);
      this.stale = false;
    }
    return super.value;
  }
}

export const computed = <T>(compute: () => T): ReadonlySignal<T> => new Computed(compute);

export const useSignal = <T>(value: T) => useMemo(() => signal(value), []);

// A component is a reader from the start of its render to its `diffed` (its children render after it and take over);
// a change re-renders it through setState, so updates batch like any state change.
const hooked = options as Hooks;
const { __r: render, diffed, unmount } = hooked;
hooked.__r = (vnode) => {
  const component = vnode.__c!;
  component.__signals ??= { sources: new Set(), update: () => component.setState({}) };
  forget(component.__signals);
  reading = component.__signals;
  render?.(vnode);
};
hooked.diffed = (vnode) => {
  if (reading && reading === vnode.__c?.__signals) reading = undefined;
  diffed?.(vnode);
};
hooked.unmount = (vnode) => {
  if (vnode.__c?.__signals) forget(vnode.__c.__signals);
  unmount?.(vnode);
};
