/**
 * A `fetch` that hands the framework above it (the OpenAI SDK, the AI SDK) no
 * bearer token in what it makes errors from: an error response whose body or
 * headers echo the token (a proxy that repeats the `Authorization` header) is
 * replaced by a redacted copy, and a rejection is redacted down its `cause`
 * chain. Successful responses pass through untouched.
 */
import { redactTokens, redactTokensIn } from "../errors.js";

/** The `fetch` signature wrapped here. */
type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Wraps `inner`; see the module comment. */
export function redactingFetch<F extends Fetch>(inner: F): F {
  const redacting: Fetch = async (input, init) => {
    let response: Response;
    try {
      response = await inner(input, init);
    } catch (error) {
      throw redactTokensIn(error);
    }
    if (response.status < 400) return response;
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
    if (body === text && redactedHeaders === response.headers) return response;
    await response.body?.cancel();
    const headers = new Headers(redactedHeaders);
    // The copy's body is decoded text of another length.
    headers.delete("content-length");
    headers.delete("content-encoding");
    return new Response(body, {
      status: response.status,
      statusText: redactTokens(response.statusText),
      headers,
    });
  };
  return redacting as F;
}
