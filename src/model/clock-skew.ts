/**
 * Clock-skew correction, as the AWS SDKs do it: when the service refuses a
 * request as expired or not yet valid and its `Date` header is far from the
 * local clock, sign later requests with the server's time.
 */
import {
  createTokenProvider,
  type SageMakerTokenProvider,
  type TokenProviderOptions,
} from "../auth/token-provider.js";

/** How far the local clock may be off before a refusal triggers a correction (the AWS SDKs' rule). */
export const SKEW_TOLERANCE_MS = 60_000;

/**
 * The offset between this machine's clock and the server's, shared by every
 * model that signs with the same token provider. `now()` is the corrected time
 * to sign with.
 */
export class ClockSkew {
  /** Milliseconds to add to `Date.now()` to get the server's time. */
  offsetMs = 0;

  /** The corrected current time, in epoch milliseconds. */
  readonly now = (): number => Date.now() + this.offsetMs;

  /**
   * Adopts the server's time when it differs from the corrected local time by
   * more than {@link SKEW_TOLERANCE_MS}. Returns whether the offset changed
   * (and so whether a retry can help).
   */
  correct(serverDate: number | undefined, localNow: number = Date.now()): boolean {
    if (serverDate === undefined || !Number.isFinite(serverDate)) return false;
    const offset = serverDate - localNow;
    if (Math.abs(offset - this.offsetMs) <= SKEW_TOLERANCE_MS) return false;
    this.offsetMs = offset;
    return true;
  }
}

const skews = new WeakMap<SageMakerTokenProvider, ClockSkew>();

/**
 * Creates a token provider that signs with a correctable clock. Models given
 * such a provider (their own, or one shared by `createSageMakerChatModels`)
 * correct skew through it; any other provider is left alone.
 */
export function createSkewCorrectingTokenProvider(
  options: Omit<TokenProviderOptions, "clock">,
): SageMakerTokenProvider {
  const skew = new ClockSkew();
  const provider = createTokenProvider({ ...options, clock: skew.now });
  skews.set(provider, skew);
  return provider;
}

/** The clock of a provider made by {@link createSkewCorrectingTokenProvider}, else undefined. */
export function clockSkewOf(provider: SageMakerTokenProvider): ClockSkew | undefined {
  return skews.get(provider);
}
