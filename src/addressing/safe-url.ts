/**
 * The transport rule for anything that carries a bearer token: HTTPS, or plain
 * HTTP only to this machine (loopback), unless the caller explicitly opts out.
 * Shared by the client, the LangChain model and the adapters.
 */
import { ValidationError } from "../errors.js";

/**
 * Whether `hostname` (as `URL.hostname` gives it) names this machine:
 * `localhost`, any IPv4 address in 127.0.0.0/8, or `[::1]` / `::1`.
 *
 * Other spellings (`127.1`, `0x7f.0.0.1`, `[0:0::1]`) are recognised once
 * normalised by `new URL(...)`, which {@link assertSafeBaseURL} does.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === "localhost" || host === "[::1]" || host === "::1") {
    return true;
  }
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets?.slice(1).every((octet) => Number(octet) <= 255) === true;
}

/** Options of {@link assertSafeBaseURL}. */
export interface SafeBaseURLOptions {
  /** Permit `http:` to non-loopback hosts. The token then crosses the network in clear text. */
  allowInsecureHttp?: boolean;
  /** Names the option in error messages. Default `"baseURL"`. */
  option?: string;
  /**
   * How the message tells the caller to permit plain HTTP anyway. Default
   * `"allowInsecureHttp: true"`; a command line names its flag (`"--allow-insecure-http"`).
   */
  insecureOptIn?: string;
}

function invalid(code: string, message: string): ValidationError {
  return new ValidationError(code, message);
}

/**
 * Parses and checks a base URL that will receive a bearer token, returning it
 * normalised (no trailing slash).
 *
 * - `https:` is accepted; `http:` only to a loopback host (see {@link isLoopbackHost}),
 *   or anywhere with `allowInsecureHttp: true`; else `INSECURE_BASE_URL`.
 * - Not an absolute URL, another scheme, user info (`user:pass@`), a query or a
 *   fragment (the client appends paths to it): `INVALID_BASE_URL`.
 */
export function assertSafeBaseURL(baseURL: unknown, options: SafeBaseURLOptions = {}): string {
  const option = options.option ?? "baseURL";
  if (typeof baseURL !== "string" && !(baseURL instanceof URL)) {
    throw invalid("INVALID_BASE_URL", `${option} must be a string or a URL.`);
  }
  let url: URL;
  try {
    url = new URL(baseURL instanceof URL ? baseURL.href : baseURL);
  } catch {
    throw invalid("INVALID_BASE_URL", `${option} is not an absolute URL.`);
  }
  if (url.username !== "" || url.password !== "") {
    throw invalid("INVALID_BASE_URL", `${option} must not contain user info (user:password@).`);
  }
  if (url.protocol === "http:") {
    if (!isLoopbackHost(url.hostname) && options.allowInsecureHttp !== true) {
      throw invalid(
        "INSECURE_BASE_URL",
        `${option} uses plain http to ${url.hostname}, which would send the bearer token in ` +
          `clear text: use https, a loopback host, or pass ${options.insecureOptIn ?? "allowInsecureHttp: true"}.`,
      );
    }
  } else if (url.protocol !== "https:") {
    throw invalid(
      "INVALID_BASE_URL",
      `${option} must use https (or http to a loopback host); got ${url.protocol}`,
    );
  }
  // `href` rather than `search`/`hash`: a bare "?" or "#" leaves those empty but
  // would still end up in front of the paths the client appends.
  if (url.href.includes("?") || url.href.includes("#")) {
    throw invalid("INVALID_BASE_URL", `${option} must not have a query string or fragment.`);
  }
  return url.href.replace(/\/+$/, "");
}
