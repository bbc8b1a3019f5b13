/**
 * What a credentials error may keep of the provider's failure. A provider's
 * error can quote what it read (a secret access key, a session token, a bearer
 * token), and whatever an error keeps as `cause` is printed by
 * `util.inspect` and `console.error`, so only a redacted copy is kept.
 */
import { redactTokens } from "../errors.js";

// Long runs of base64-ish characters: the shape of secret keys and session tokens.
const KEY_MATERIAL = /[A-Za-z0-9/+=]{32,}/g;

// How far down a cause chain copies go; AWS SDK chains are one or two deep.
const MAX_DEPTH = 3;

/** `text` without bearer tokens or anything shaped like key material, cut to `max` characters. */
export function redactSecrets(text: string, max = 300): string {
  return redactTokens(text).replace(KEY_MATERIAL, "[REDACTED]").slice(0, max);
}

/**
 * A one-line description of a thrown value, safe to show: the error's name and
 * the first line of its message with secrets removed.
 */
export function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return `a thrown ${cause === null ? "null" : typeof cause}`;
  return redactSecrets(`${cause.name}: ${firstLine(cause.message)}`);
}

function firstLine(text: unknown): string {
  return typeof text === "string" ? (text.split("\n", 1)[0] ?? "") : "";
}

/**
 * A copy of `cause` that is safe to keep and print: an `Error` with the
 * original's name, the first line of its message and its stack frames, each
 * with secrets removed, a short string `code` if it had one, and the same
 * treatment for its own `cause`. Other properties (responses, headers, raw
 * output) are dropped. Returns undefined when there is nothing to keep.
 */
export function redactedCause(cause: unknown, depth = 0): Error | undefined {
  if (cause === undefined || depth >= MAX_DEPTH) return undefined;
  if (!(cause instanceof Error)) return new Error(describeCause(cause));
  const name = redactSecrets(typeof cause.name === "string" ? cause.name : "Error", 100);
  const message = redactSecrets(firstLine(cause.message));
  const inner = redactedCause(cause.cause, depth + 1);
  const copy = new Error(message, inner === undefined ? undefined : { cause: inner });
  copy.name = name;
  const frames = (typeof cause.stack === "string" ? cause.stack.split("\n") : [])
    .filter((line) => /^\s+at /.test(line))
    .map((line) => redactSecrets(line, 500));
  copy.stack = [`${name}: ${message}`, ...frames].join("\n");
  const code = (cause as { code?: unknown }).code;
  // Shorter than key material, so a code cannot smuggle a secret.
  if (typeof code === "string" && /^[A-Za-z0-9_.-]{1,31}$/.test(code)) {
    Object.assign(copy, { code });
  }
  return copy;
}
