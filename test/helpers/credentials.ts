/** Credentials providers that behave as a test needs. */

/**
 * A credentials provider that never answers (for the credentials time limit),
 * and how many times it was asked.
 */
export function silentCredentials(): { provider: () => Promise<never>; readonly calls: number } {
  let calls = 0;
  return {
    provider: () => {
      calls += 1;
      return new Promise<never>(() => {});
    },
    get calls() {
      return calls;
    },
  };
}
