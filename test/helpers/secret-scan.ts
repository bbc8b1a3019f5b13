/**
 * Looking for a bearer token in everything a test can reach from an object:
 * `util.inspect` with getters, hidden properties and no depth limit,
 * `JSON.stringify`, `String()`, and a walk over every own property (symbols and
 * non-enumerable ones included) and every getter along the prototype chain, so
 * a class getter that returns the token is read too.
 */
import { inspect } from "node:util";
import { expect } from "vitest";

const PREFIX = "sagemaker-api-key-";

/**
 * The pieces of `token` that must not show anywhere: the token, a stretch of
 * its base64 body, and (decoded) its `X-Amz-Signature` value.
 */
export function tokenPieces(token: string): string[] {
  const url = Buffer.from(token.slice(PREFIX.length), "base64").toString("utf8");
  const signature = /X-Amz-Signature=([0-9a-f]{64})/.exec(url)?.[1];
  expect(signature, "a token carries a signature").toBeDefined();
  return [token, token.slice(PREFIX.length + 8, PREFIX.length + 72), signature as string];
}

/** Every string reachable from `root` through properties and getters (at most `limit` objects). */
export function reachableStrings(root: unknown, limit = 50_000): string[] {
  const strings: string[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [root];
  const visit = (value: unknown): void => {
    if (typeof value === "string") strings.push(value);
    else if ((typeof value === "object" || typeof value === "function") && value !== null) {
      if (!seen.has(value)) queue.push(value);
    }
  };
  while (queue.length > 0 && seen.size < limit) {
    const node = queue.shift() as object;
    if (seen.has(node)) continue;
    seen.add(node);
    if (node instanceof Map) for (const [key, value] of node) [key, value].forEach(visit);
    if (node instanceof Set) for (const value of node) visit(value);
    if (node instanceof Headers) for (const [key, value] of node) [key, value].forEach(visit);
    for (const key of Reflect.ownKeys(node)) {
      const descriptor = Object.getOwnPropertyDescriptor(node, key);
      if (descriptor === undefined) continue;
      if ("value" in descriptor) visit(descriptor.value);
      else visit(read(node, key));
    }
    // Getters declared by the classes along the chain (not Object's or Function's own).
    for (
      let proto = Object.getPrototypeOf(node);
      proto !== null && proto !== Object.prototype && proto !== Function.prototype;
      proto = Object.getPrototypeOf(proto)
    ) {
      for (const key of Reflect.ownKeys(proto)) {
        const descriptor = Object.getOwnPropertyDescriptor(proto, key);
        if (descriptor?.get !== undefined) visit(read(node, key));
      }
    }
  }
  return strings;
}

function read(node: object, key: PropertyKey): unknown {
  try {
    return Reflect.get(node, key);
  } catch {
    return undefined;
  }
}

/**
 * Every way a test can show `value`: deep inspect (getters, hidden, to `depth`,
 * unlimited by default), JSON, String.
 */
export function renderings(value: unknown, depth = Number.POSITIVE_INFINITY): string[] {
  const shown = [
    inspect(value, {
      getters: true,
      showHidden: true,
      depth,
      maxArrayLength: Number.POSITIVE_INFINITY,
      maxStringLength: Number.POSITIVE_INFINITY,
    }),
  ];
  try {
    shown.push(JSON.stringify(value) ?? "");
  } catch (error) {
    // A circular structure without toJSON: nothing was serialised.
    shown.push(String(error));
  }
  try {
    shown.push(String(value));
  } catch {
    // An object without a string form shows nothing.
  }
  return shown;
}

/**
 * Asserts that no piece of any of `tokens` (see {@link tokenPieces}), and no
 * unredacted `sagemaker-api-key-…`, can be seen in or reached from `value`.
 * `inspectDepth` bounds only the `util.inspect` rendering; the walk over
 * properties and getters always goes everywhere.
 */
export function expectNoToken(
  value: unknown,
  tokens: readonly string[],
  label: string,
  inspectDepth = Number.POSITIVE_INFINITY,
): void {
  expect(tokens.length, "the test saw at least one token").toBeGreaterThan(0);
  const pieces = tokens.flatMap(tokenPieces);
  const texts = [...renderings(value, inspectDepth), ...reachableStrings(value)];
  for (const text of texts) {
    for (const piece of pieces) {
      const at = text.indexOf(piece);
      // The failure names where the piece is, not the piece itself.
      if (at !== -1)
        expect.fail(
          `${label}: a token piece shows after: …${text.slice(Math.max(0, at - 120), at)}`,
        );
    }
    expect(text, label).not.toMatch(/sagemaker-api-key-(?!\[REDACTED\])[A-Za-z0-9+/=]/);
  }
}
