/**
 * Spreads work that many streams would start in the same event-loop turn over several turns.
 * When many streams end together (runs started together stream replies of the same length),
 * what follows each end (LangChain's end of the call, the agent's and the graph's next step,
 * the next request) would all run in one turn, and the loop would answer nothing else for
 * hundreds of milliseconds. Waiters given to {@link laterTurn} run one after another in the
 * check phase of a turn until the turn has spent {@link TURN_BUDGET_MS} on them; the rest
 * wait, in order, for the next turn. Nothing is dropped or reordered.
 */

/** Time a turn may spend on waiters (each with what it runs before its next wait) before the rest move on. */
const TURN_BUDGET_MS = 30;

/** When this turn's first waiter ran; undefined before it, and again from the next turn on. */
let turnStart: number | undefined;

function endTurn(): void {
  turnStart = undefined;
}

function admit(resolve: () => void): void {
  const now = performance.now();
  if (turnStart === undefined) {
    turnStart = now;
    // Queued before any waiter this turn moves on, so it runs first in the next turn's check phase.
    setImmediate(endTurn).unref();
  } else if (now - turnStart > TURN_BUDGET_MS) {
    setImmediate(admit, resolve);
    return;
  }
  // Node drains the microtasks between immediates: the next waiter's clock includes this one's work.
  resolve();
}

/**
 * Resolves in the check phase of this loop turn, or of a later one when this turn has already
 * spent its budget on earlier waiters (first come, first served).
 */
export function laterTurn(): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(admit, resolve);
  });
}
