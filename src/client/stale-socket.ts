/**
 * Sending a request again when it met a keep-alive socket the server had
 * already given up on.
 *
 * HTTP/1.1 keep-alive has a race no timeout setting removes: the server closes
 * a socket that has been idle for its keep-alive timeout while the client,
 * whose own idle timer has not fired yet (it is set from the server's
 * `Keep-Alive` hint minus a margin, and a stalled event loop fires it late),
 * writes the next request onto it. The server never reads that request; the
 * client sees `ECONNRESET` or "other side closed" before any byte of an
 * answer. Such a request is safe to send again on another socket, and it is
 * not a failure of the endpoint, so it does not count against `maxRetries`.
 *
 * What tells it apart, from `undici`'s diagnostics channels (the global
 * `fetch` and the `undici` package both publish them): the request went out on
 * a socket that had already carried an earlier request, and it failed with a
 * reset or close before any response header arrived. A reset on a fresh socket
 * is a real failure and is left to the caller's retry policy.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { subscribe } from "node:diagnostics_channel";

/** The `fetch` signature wrapped here. */
type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Most times one call is sent again in a row. Each failure closes one stale
 * pooled socket, so more than a few in a row means something else is wrong.
 */
export const MAX_STALE_SOCKET_REPLAYS = 4;

/** What one `fetch` attempt learned from undici. */
interface Attempt {
  /** The request was written on a socket that had carried an earlier request. */
  reusedSocket: boolean;
  /** Response headers arrived. */
  answered: boolean;
  /** The error undici failed the request with. */
  failure: unknown;
}

const currentAttempt = new AsyncLocalStorage<Attempt>();
const attempts = new WeakMap<object, Attempt>();
const usedSockets = new WeakSet<object>();
let watching = false;

interface RequestMessage {
  request: object;
}

/** Subscribes once per process; the handlers only flip flags (they never keep headers). */
function watchUndici(): void {
  if (watching) return;
  watching = true;
  subscribe("undici:request:create", (message) => {
    const attempt = currentAttempt.getStore();
    if (attempt !== undefined) attempts.set((message as RequestMessage).request, attempt);
  });
  subscribe("undici:client:sendHeaders", (message) => {
    const { request, socket } = message as RequestMessage & { socket: object };
    const attempt = attempts.get(request);
    if (attempt !== undefined) attempt.reusedSocket = usedSockets.has(socket);
    usedSockets.add(socket);
  });
  subscribe("undici:request:headers", (message) => {
    const attempt = attempts.get((message as RequestMessage).request);
    if (attempt !== undefined) attempt.answered = true;
  });
  subscribe("undici:request:error", (message) => {
    const { request, error } = message as RequestMessage & { error: unknown };
    const attempt = attempts.get(request);
    if (attempt !== undefined) attempt.failure = error;
  });
}

// What a socket the server closed under a request looks like to undici.
const CLOSED_CODES = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"]);

function isStale(attempt: Attempt): boolean {
  const code = (attempt.failure as { code?: unknown } | undefined)?.code;
  return (
    attempt.reusedSocket && !attempt.answered && typeof code === "string" && CLOSED_CODES.has(code)
  );
}

/** A body that can be sent twice: none, text, bytes, a blob or form data (not a stream). */
function isReplayable(input: string | URL | Request, init: RequestInit | undefined): boolean {
  if (typeof input !== "string" && !(input instanceof URL)) return false;
  const body = init?.body;
  return (
    body === undefined ||
    body === null ||
    typeof body === "string" ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof Blob ||
    body instanceof URLSearchParams ||
    body instanceof FormData
  );
}

const wrapped = new WeakSet<Fetch>();

/**
 * Wraps `inner` (an undici-based `fetch`: the global one, `undici`'s, or one
 * that calls them) so that a call whose request met a stale keep-alive socket
 * (see the module comment) is sent again, up to {@link MAX_STALE_SOCKET_REPLAYS}
 * times in a row, before its failure reaches the caller. Calls with a stream
 * body, a `Request` object or an aborted signal are not sent again. Wrapping a
 * wrapped `fetch` returns it as it is.
 */
export function replayOnStaleSocket<F extends Fetch>(inner: F): F {
  if (wrapped.has(inner)) return inner;
  const replaying: Fetch = async (input, init) => {
    watchUndici();
    for (let replays = 0; ; replays += 1) {
      const attempt: Attempt = { reusedSocket: false, answered: false, failure: undefined };
      try {
        return await currentAttempt.run(attempt, () => inner(input, init));
      } catch (error) {
        const again =
          replays < MAX_STALE_SOCKET_REPLAYS &&
          isStale(attempt) &&
          init?.signal?.aborted !== true &&
          isReplayable(input, init);
        if (!again) throw error;
      }
    }
  };
  wrapped.add(replaying);
  return replaying as F;
}
