/**
 * A `fetch` that hands the framework above it (the OpenAI SDK, the AI SDK) no
 * bearer token in what it makes errors from: an error response whose body or
 * headers echo the token (a proxy that repeats the `Authorization` header) is
 * replaced by a redacted copy, and a rejection is redacted down its `cause`
 * chain. Successful responses pass through untouched.
 *
 * It is the one layer that reads error bodies, so it also hands their
 * (redacted) text to whoever wants it kept (`onErrorBody`: the model, whose SDK
 * errors lose flat bodies), instead of a second wrapper reading them again.
 */
import { redactTokens, redactTokensIn, rethrowRedacted } from "../redact.js";

/** The `fetch` signature wrapped here. */
type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Told the redacted text of every error response (status 400 and up) whose body
 * could be read, with the `Headers` of the response handed on: the object the
 * SDK's error will carry, so the text can be keyed on it.
 */
export type ErrorBodyListener = (headers: Headers, text: string) => void;

// Fetches made here: wrapping one again would only redo the same work.
const redacting = new WeakSet<Fetch>();

/**
 * Wraps `inner`; see the module comment. A `fetch` this function made is
 * returned as it is when no listener is asked for, so layers that each ensure
 * redaction (the model, then its client) wrap only once.
 */
export function redactingFetch<F extends Fetch>(inner: F, onErrorBody?: ErrorBodyListener): F {
  if (onErrorBody === undefined && redacting.has(inner)) return inner;
  const answered = (response: Response): Response | Promise<Response> =>
    response.status < 400 ? response : redactedError(response, onErrorBody);
  // One reaction per call, no async frame: this runs on every request.
  const wrapped: Fetch = (input, init) => {
    try {
      // Promise.resolve: a native promise as it is, and a user fetch that answers synchronously works.
      return Promise.resolve(inner(input, init)).then(answered, rethrowRedacted);
    } catch (error) {
      return Promise.reject(redactTokensIn(error));
    }
  };
  redacting.add(wrapped);
  return wrapped as F;
}

/** `response` (an error) with no token in its body, headers or status text. */
async function redactedError(
  response: Response,
  onErrorBody: ErrorBodyListener | undefined,
): Promise<Response> {
  let text: string;
  try {
    text = await response.clone().text();
  } catch {
    // The body cannot be read: neither can the SDK, which then reports only the read failure.
    return response;
  }
  const body = redactTokens(text);
  const redactedHeaders = redactTokensIn(response.headers);
  // Nothing to hide: the original, so whoever keyed data on it still finds it.
  if (body === text && redactedHeaders === response.headers) {
    onErrorBody?.(response.headers, body);
    return response;
  }
  await response.body?.cancel();
  const headers = new Headers(redactedHeaders);
  // The copy's body is decoded text of another length.
  headers.delete("content-length");
  headers.delete("content-encoding");
  const copy = new Response(body, {
    status: response.status,
    statusText: redactTokens(response.statusText),
    headers,
  });
  onErrorBody?.(copy.headers, body);
  return copy;
}
