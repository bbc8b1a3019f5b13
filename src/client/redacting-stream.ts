/**
 * The client's streams: an error event inside a 200 stream becomes an
 * `APIError` carrying the server's text (a proxy may echo the token there), so
 * whatever a stream throws is redacted before its reader sees it.
 *
 * Redaction is needed only on the error path, so it costs one rejection
 * handler per chunk (a plain iterator around the SDK's, not another async
 * generator). A caller that redacts everything it throws itself (the model's
 * requester) asks for the SDK's own `Stream` class instead (`__streamClass`)
 * and pays nothing per chunk.
 */
import { Stream } from "openai/core/streaming";
import { rethrowRedacted } from "../redact.js";

/** `inner` with every rejection redacted; results pass through as they are. */
function redactingIterator<Item>(inner: AsyncIterator<Item>): AsyncIterableIterator<Item> {
  return {
    next: (...args) => inner.next(...args).then(undefined, rethrowRedacted),
    return: (value?: unknown) =>
      inner.return === undefined
        ? Promise.resolve({ done: true, value: value as Item })
        : inner.return(value as Item).then(undefined, rethrowRedacted),
    throw: (error?: unknown) =>
      inner.throw === undefined
        ? Promise.reject(error)
        : inner.throw(error).then(undefined, rethrowRedacted),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** A stream whose errors carry no bearer token; see the module comment. */
export class RedactingStream<Item> extends Stream<Item> {
  static override fromSSEResponse<Item>(
    ...args: Parameters<typeof Stream.fromSSEResponse>
  ): Stream<Item> {
    const stream = Stream.fromSSEResponse<Item>(...args);
    stream.__betaTransformIterator((iterate) => () => redactingIterator(iterate()));
    return stream;
  }
}
