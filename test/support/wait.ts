// The tests' one way to wait: poll a condition (the API, a fake server's log, a page) until it holds or a deadline
// passes, never a fixed sleep. Runs anywhere (Node, workerd, Deno, Bun): no imports.

export type WaitOptions = {
  /** Give up after this long (ms). */
  timeoutMs?: number;
  /** Poll this often (ms). */
  everyMs?: number;
  /** What is awaited, for the timeout's message. */
  what?: string;
};

/**
 * Polls `read` until `done` accepts its value (by default: until it is truthy), and returns that value; throws with
 * the last value once `timeoutMs` has passed.
 * @example const row = await waitFor(() => readRow(id), (r) => r !== null, { what: `event ${id}` });
 */
export async function waitFor<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean = Boolean,
  { timeoutMs = 60_000, everyMs = 50, what = "a condition" }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(value)?.slice(0, 2000)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
