/**
 * The `fetch` the model's OpenAI client uses: the user's (or the pool's, or
 * the global one), wrapped to keep the text of error bodies. The OpenAI SDK
 * reads only nested `{"error": {...}}` bodies into its errors, so older vLLM's
 * flat bodies and SageMaker's own messages would otherwise be lost.
 */
import type { ClientOptions } from "openai";
import { redactingFetch } from "../client/redacting-fetch.js";

/** The `fetch` signature the OpenAI SDK accepts. */
export type FetchFunction = NonNullable<ClientOptions["fetch"]>;

/** Error body texts, keyed by the `Headers` object of the response the SDK saw. */
export class ErrorBodies {
  private readonly _bodies = new WeakMap<Headers, string>();

  /** Remembers `text` as the body of the response whose headers are `headers`. */
  set(headers: Headers, text: string): void {
    this._bodies.set(headers, text);
  }

  /** The body of the response an SDK error was made from, if it was kept. */
  of(error: unknown): string | undefined {
    const headers =
      typeof error === "object" && error !== null
        ? (error as { headers?: unknown }).headers
        : undefined;
    return headers instanceof Headers ? this._bodies.get(headers) : undefined;
  }
}

/**
 * Wraps `inner` so that the text of every error body (status 400 and up) is
 * kept in `bodies`. It is the client's redacting `fetch` (`redactingFetch`),
 * which reads error bodies anyway and hands their text over redacted: the model
 * is reachable by `util.inspect`, and `showHidden` lists a `WeakMap`'s entries,
 * keys included. The client does not wrap it a second time.
 */
export function errorBodyFetch(inner: FetchFunction, bodies: ErrorBodies): FetchFunction {
  return redactingFetch(inner, (headers, text) => bodies.set(headers, text));
}
