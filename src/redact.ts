/**
 * Removing bearer tokens from text and from error objects. A SageMaker bearer
 * token is `sagemaker-api-key-` plus the base64 of a presigned URL; the URL
 * itself, or only its signature, is enough to rebuild a working token, so all
 * three forms are removed wherever the package shows text it did not write.
 *
 * This module has no dependencies so that `sagemaker-openai-agents/auth` stays light.
 */

/** What a redacted token is replaced with. */
export const REDACTED_TOKEN = "sagemaker-api-key-[REDACTED]";

/** What any other redacted secret (a signature, a session token, a token body) is replaced with. */
export const REDACTED = "[REDACTED]";

// A token body: base64 (standard or URL-safe), possibly percent-encoded or with
// JSON-escaped slashes (`\/`), but never a bare backslash, so `\"` in JSON text stays intact.
const BODY = String.raw`(?:[A-Za-z0-9+/=_%-]|\\/)`;

/** A whole token. At least one body character, so redacting twice leaves `REDACTED_TOKEN` as it is. */
const TOKEN = `sagemaker-api-key-${BODY}+`;

/**
 * A token body echoed without its prefix: every body starts with the base64 of
 * `sagemaker.amazonaws.com/`, 24 bytes that encode to exactly these 32 characters.
 */
const TOKEN_BODY = `c2FnZW1ha2VyLmFtYXpvbmF3cy5jb20v${BODY}*`;

/** `word` matched in any letter case (the combined pattern below must stay case-sensitive). */
function anyCase(word: string): string {
  return word.replace(/[a-z]/g, (letter) => `[${letter}${letter.toUpperCase()}]`);
}

/**
 * The decoded form: the name of the presigned URL's signature or session token
 * parameter (any case, then `=` or `%3D`); its value, up to the next parameter,
 * space, quote or backslash, is what is redacted.
 */
const SIGNED_PARAMETER = `${anyCase("x-amz-")}(?:${anyCase("signature")}|${anyCase("security-token")})(?:=|%3[Dd])`;
const PARAMETER_VALUE = String.raw`[^&\s"'<>\\]+`;

/**
 * A signature alone: a SigV4 signature is 64 hex digits. Any such run counts
 * (with at least one letter, so a long decimal number is left alone); a
 * SHA-256 digest in a message is redacted too, which costs nothing secret.
 */
const SIGNATURE = "(?<![0-9A-Fa-f])(?=[0-9]*[A-Fa-f])[0-9A-Fa-f]{64}(?![0-9A-Fa-f])";

// One pass over the text for all four forms (the local endpoint redacts every logged path).
const SECRETS = new RegExp(
  `(${TOKEN})|${TOKEN_BODY}|(${SIGNED_PARAMETER})${PARAMETER_VALUE}|${SIGNATURE}`,
  "g",
);

function replacement(_match: string, token?: string, parameter?: string): string {
  if (token !== undefined) return REDACTED_TOKEN;
  return parameter === undefined ? REDACTED : `${parameter}${REDACTED}`;
}

/**
 * Replaces every form of a SageMaker bearer token in `text`: the token
 * (`sagemaker-api-key-…`, also percent-encoded or with `\/` escapes), its base64
 * body without the prefix, the decoded presigned URL's `X-Amz-Signature` and
 * `X-Amz-Security-Token` values, and any 64-hex-digit run (a signature on its own).
 *
 * Used on every message the package builds from text it did not write (server
 * bodies, dependency errors) and on every error it passes on, so a token echoed
 * back by a proxy cannot leak. Idempotent.
 */
export function redactTokens(text: string): string {
  return text.replace(SECRETS, replacement);
}

// Deep enough for an SDK error's cause chain and its parsed error body.
const MAX_DEPTH = 8;

/**
 * `value` with {@link redactTokens} applied to every string in it: strings,
 * arrays, plain objects, `Headers`, and errors (message, stack, `cause`, and
 * every other own data property, enumerable or not), down to a depth of 8.
 *
 * Returns `value` itself when it holds nothing to redact, so identities survive
 * in the common case; otherwise a copy. A copied error keeps its prototype, so
 * `instanceof` (e.g. `APIError`, `AuthenticationError`) still holds. Instances
 * of other classes (a `Response`, a socket) are kept as they are; a cycle is
 * cut at its back-reference (`"[Circular]"`) in a copy.
 */
export function redactTokensIn<T>(value: T): T {
  return redactValue(value, new Map(), 0) as T;
}

/**
 * Throws `error` with no token in it ({@link redactTokensIn}): the rejection
 * handler of the layers that redact what they pass on (a fetch, a stream).
 */
export function rethrowRedacted(error: unknown): never {
  throw redactTokensIn(error);
}

function redactValue(value: unknown, seen: Map<object, unknown>, depth: number): unknown {
  if (typeof value === "string") return redactTokens(value);
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return value;
  if (seen.has(value)) return seen.get(value);
  if (typeof Headers !== "undefined" && value instanceof Headers) return redactHeaders(value);
  const prototype = Object.getPrototypeOf(value) as object | null;
  const isError = value instanceof Error;
  const isPlain = Array.isArray(value) || prototype === Object.prototype || prototype === null;
  if (!isError && !isPlain) return value;
  if (isDomException(value)) return redactDomException(value);
  if (Array.isArray(value)) return redactArray(value, seen, depth);
  // A back-reference met while this object is being copied: cut the cycle.
  seen.set(value, "[Circular]");
  const keys = Reflect.ownKeys(value);
  const redacted = new Map<PropertyKey, unknown>();
  let changed = false;
  for (const key of keys) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    // V8 keeps an error's `stack` behind an accessor: read it through the getter.
    const stack = isError && key === "stack";
    if (descriptor === undefined || (!("value" in descriptor) && !stack)) continue;
    const current = stack ? readStack(value as Error) : descriptor.value;
    const next = redactValue(current, seen, depth + 1);
    redacted.set(key, next);
    if (next !== current) changed = true;
  }
  if (!changed) {
    seen.set(value, value);
    return value;
  }
  const copy = copyOf(prototype, isError);
  for (const key of keys) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key) as PropertyDescriptor;
    if (!redacted.has(key)) {
      Object.defineProperty(copy, key, descriptor);
      continue;
    }
    Object.defineProperty(copy, key, {
      value: redacted.get(key),
      writable: descriptor.writable ?? true,
      enumerable: descriptor.enumerable ?? false,
      configurable: true,
    });
  }
  seen.set(value, copy);
  return copy;
}

function isDomException(value: object): value is DOMException {
  return typeof DOMException !== "undefined" && value instanceof DOMException;
}

// A DOMException's name and message are behind brand-checked getters: rebuild it instead.
function redactDomException(error: DOMException): DOMException {
  const message = redactTokens(error.message);
  return message === error.message ? error : new DOMException(message, error.name);
}

function readStack(error: Error): unknown {
  try {
    return error.stack;
  } catch {
    return undefined;
  }
}

function redactArray(value: unknown[], seen: Map<object, unknown>, depth: number): unknown[] {
  seen.set(value, "[Circular]");
  const copy = value.map((item) => redactValue(item, seen, depth + 1));
  const result = copy.some((item, index) => item !== value[index]) ? copy : value;
  seen.set(value, result);
  return result;
}

function copyOf(prototype: object | null, isError: boolean): object {
  // A real Error object, so the copy is a native error (util.inspect, structuredClone).
  if (isError) return Object.setPrototypeOf(new Error(), prototype);
  return Object.create(prototype);
}

/** `headers` itself when no value holds a token, else a redacted copy. */
function redactHeaders(headers: Headers): Headers {
  let copy: Headers | undefined;
  for (const [name, value] of headers) {
    const redacted = redactTokens(value);
    if (redacted === value) continue;
    copy ??= new Headers(headers);
    copy.set(name, redacted);
  }
  return copy ?? headers;
}
