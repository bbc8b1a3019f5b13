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
 *
 * What undici learns is kept against the error object it fails the request
 * with, which is what the `fetch` call rejects with (or its `cause`, for the
 * WHATWG `fetch`): so a failed call finds out about its own request without
 * tracking each call's context (an `AsyncLocalStorage` around every request
 * cost more than the rest of this wrapper on the successful path).
 */
import { subscribe } from "node:diagnostics_channel";

/** The `fetch` signature wrapped here. */
type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Most times one call is sent again in a row. Each failure closes one stale
 * pooled socket, so more than a few in a row means something else is wrong.
 */
export const MAX_STALE_SOCKET_REPLAYS = 4;

/** What undici said about the request(s) it failed with one error. */
interface Failure {
  /** The request was written on a socket that had carried an earlier request. */
  reusedSocket: boolean;
  /** Response headers arrived. */
  answered: boolean;
}

// Per undici request: written on a reused socket; response headers arrived.
const reusedRequests = new WeakMap<object, boolean>();
const answeredRequests = new WeakSet<object>();
// Per error undici failed a request with: what it knew of that request.
const failures = new WeakMap<object, Failure>();
const usedSockets = new WeakSet<object>();
let watching = false;

interface RequestMessage {
  request: object;
}

/** Subscribes once per process; the handlers only flip flags (they never keep headers). */
function watchUndici(): void {
  if (watching) return;
  watching = true;
  subscribe("undici:client:sendHeaders", (message) => {
    const { request, socket } = message as RequestMessage & { socket: object };
    reusedRequests.set(request, usedSockets.has(socket));
    usedSockets.add(socket);
  });
  subscribe("undici:request:headers", (message) => {
    answeredRequests.add((message as RequestMessage).request);
  });
  subscribe("undici:request:error", (message) => {
    const { request, error } = message as RequestMessage & { error: unknown };
    if (typeof error !== "object" || error === null) return;
    const failure: Failure = {
      reusedSocket: reusedRequests.get(request) === true,
      answered: answeredRequests.has(request),
    };
    // One error failing several requests: safe to send again only if it is safe for each.
    const earlier = failures.get(error);
    failures.set(
      error,
      earlier === undefined
        ? failure
        : {
            reusedSocket: earlier.reusedSocket && failure.reusedSocket,
            answered: earlier.answered || failure.answered,
          },
    );
  });
}

// What a socket the server closed under a request looks like to undici.
const CLOSED_CODES = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"]);

/** Whether `error` (what a `fetch` call rejected with) is undici's failure of a stale socket. */
function isStale(error: unknown): boolean {
  // undici's fetch rejects with TypeError("fetch failed", { cause }); its request API with the error itself.
  for (const candidate of [error, (error as { cause?: unknown } | undefined)?.cause]) {
    if (typeof candidate !== "object" || candidate === null) continue;
    const failure = failures.get(candidate);
    if (failure === undefined) continue;
    const code = (candidate as { code?: unknown }).code;
    return (
      failure.reusedSocket &&
      !failure.answered &&
      typeof code === "string" &&
      CLOSED_CODES.has(code)
    );
  }
  return false;
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
 * Wraps `inner` so that a call whose request met a stale keep-alive socket
 * (see the module comment) is sent again, up to {@link MAX_STALE_SOCKET_REPLAYS}
 * times in a row, before its failure reaches the caller. Failures are matched
 * by the identity of undici's error, so a call is sent again only when `inner`
 * rejects with that error itself or carries it as its `cause` (the global
 * `fetch`, `undici`'s `fetch` or `request`, or a wrapper that passes their
 * rejection on); any other failure reaches the caller as it is. Calls with a stream
 * body, a `Request` object or an aborted signal are not sent again. Wrapping a
 * wrapped `fetch` returns it as it is.
 */
export function replayOnStaleSocket<F extends Fetch>(inner: F): F {
  if (wrapped.has(inner)) return inner;
  watchUndici();
  const again = async (
    input: string | URL | Request,
    init: RequestInit | undefined,
    error: unknown,
  ): Promise<Response> => {
    let failure = error;
    for (let replays = 0; ; replays += 1) {
      const replay =
        replays < MAX_STALE_SOCKET_REPLAYS &&
        isStale(failure) &&
        init?.signal?.aborted !== true &&
        isReplayable(input, init);
      if (!replay) throw failure;
      try {
        return await inner(input, init);
      } catch (next) {
        failure = next;
      }
    }
  };
  // The usual case costs one rejection handler: no async frame of its own.
  const replaying: Fetch = (input, init) => {
    try {
      return Promise.resolve(inner(input, init)).catch((error: unknown) =>
        again(input, init, error),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  };
  wrapped.add(replaying);
  return replaying as F;
}
