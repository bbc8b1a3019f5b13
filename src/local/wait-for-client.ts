/**
 * One timer-backed wait that a departing client cuts short, shared by the
 * pipeline's fault latency, the response writer's trickle and the demo model's
 * pacing, so every wait on the local endpoint ends the same way when the
 * client leaves: the timer is cleared and the caller stops.
 */
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Waits `ms` unless `signal` aborts first (the timer is cleared then).
 * Resolves true when the wait ran out, false when the client left; a wait of
 * zero or less resolves true at once without reading `signal`.
 */
export async function waitForClient(ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0) return true;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
