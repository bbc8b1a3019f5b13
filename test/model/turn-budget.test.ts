/**
 * Spreading waiters over loop turns (src/model/turn-budget.ts): every waiter runs, in the
 * order it came, and once a turn has spent its budget on waiters the rest wait for a later
 * turn, so the loop answers other work (here a timer) in between.
 */
import { describe, expect, it } from "vitest";
import { laterTurn } from "../../src/model/turn-budget.js";

/** Keeps the thread busy for `ms`, as a waiter's next step would. */
function work(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Busy on purpose.
  }
}

describe("spreading waiters over loop turns", () => {
  it("runs every waiter in order, and lets the loop turn once a turn's budget is spent", async () => {
    const events: string[] = [];
    // Due at once: it fires in the first timers phase after a turn ends.
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        events.push("timer");
        resolve();
      }, 0),
    );
    // Five waiters of 20 ms each cannot all fit in one turn's 30 ms.
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        laterTurn().then(() => {
          events.push(`waiter ${i}`);
          work(20);
        }),
      ),
    );
    await timer;
    const waiters = events.filter((event) => event !== "timer");
    expect(waiters).toEqual(["waiter 0", "waiter 1", "waiter 2", "waiter 3", "waiter 4"]);
    const timerAt = events.indexOf("timer");
    // The loop turned after the first waiter and before the last one ran.
    expect(timerAt).toBeGreaterThan(events.indexOf("waiter 0"));
    expect(timerAt).toBeLessThan(events.indexOf("waiter 4"));
  });

  it("resolves a lone waiter within a turn or two", async () => {
    let resolved = false;
    const waiter = laterTurn().then(() => {
      resolved = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(resolved).toBe(true);
    await waiter;
  });
});
