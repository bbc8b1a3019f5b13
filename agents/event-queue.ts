/**
 * An unbounded single-consumer queue that turns pushed values into an async iterable, for
 * `Agent.stream`: the run pushes events synchronously as they happen, the caller reads them
 * at its own pace. Ends with `close()`, or with `fail(error)`, which the reader sees after
 * the values pushed before it.
 */
export class EventQueue<T> implements AsyncIterable<T> {
  #values: T[] = [];
  #head = 0;
  #ended: { error: unknown } | "closed" | undefined;
  #wake: (() => void) | undefined;

  /** True once closed or failed. */
  get ended(): boolean {
    return this.#ended !== undefined;
  }

  /** Adds a value; ignored after the end. */
  push(value: T): void {
    if (this.#ended !== undefined) return;
    this.#values.push(value);
    this.#notify();
  }

  /** Ends the queue after the values already pushed. */
  close(): void {
    this.#ended ??= "closed";
    this.#notify();
  }

  /** Ends the queue with `error`, thrown to the reader after the values already pushed. */
  fail(error: unknown): void {
    this.#ended ??= { error };
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (;;) {
      while (this.#head < this.#values.length) {
        const value = this.#values[this.#head] as T;
        this.#head += 1;
        yield value;
      }
      // Everything read: drop it, so a long run does not keep every event.
      this.#values = [];
      this.#head = 0;
      const ended = this.#ended;
      if (ended === "closed") return;
      if (ended !== undefined) throw ended.error;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }
}
