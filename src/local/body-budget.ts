/**
 * A cap on the request body bytes all requests together hold in memory. The
 * per-request limit alone let ten concurrent 24 MB bodies take the process
 * from 87 to 463 MB; with a shared budget, a request that would go past it is
 * refused (503) before its body is read, or as soon as a chunked body crosses it.
 */

/** The shared budget of body bytes, and each request's share of it. */
export class BodyBudget {
  private _held = 0;

  /** @param limit Bytes all requests together may hold. */
  constructor(readonly limit: number) {}

  /** Bytes held now, by all requests. */
  get held(): number {
    return this._held;
  }

  /** A share for one request: takes bytes as its body is read, gives them all back at `release()`. */
  share(): BodyShare {
    let mine = 0;
    return {
      take: (bytes) => {
        if (this._held + bytes > this.limit) return false;
        this._held += bytes;
        mine += bytes;
        return true;
      },
      release: () => {
        this._held -= mine;
        mine = 0;
      },
    };
  }
}

/** One request's part of a {@link BodyBudget}. */
export interface BodyShare {
  /** Takes `bytes` more from the budget; false (taking nothing) when that would exceed it. */
  take(bytes: number): boolean;
  /** Gives back everything this share took (idempotent). */
  release(): void;
}
