/**
 * Single flight: callers that arrive while an async job runs share its result
 * instead of starting their own. A rejected job is forgotten at once, so the
 * next caller tries again rather than inheriting a stale failure.
 */

/** Wraps `job` so that at most one run is in flight at a time. */
export function singleFlight<T>(job: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () => {
    inFlight ??= job().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
