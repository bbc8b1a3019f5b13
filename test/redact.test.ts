/**
 * `redactTokens` and `redactTokensIn` on tokens signed the package's own way:
 * every form a server might echo (the token, percent-encoded, with `\/`
 * escapes, its body without the prefix, the decoded presigned URL, the
 * signature alone) is removed from any text around it, idempotently, and
 * redacting JSON text leaves valid JSON. Errors keep their class; clean values
 * keep their identity.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { presignToken } from "../src/auth/presign.js";
import { REDACTED_TOKEN, redactTokens, redactTokensIn } from "../src/errors.js";
import { tokenPieces } from "./helpers/secret-scan.js";

const PREFIX = "sagemaker-api-key-";

/** Tokens over arbitrary credentials, regions, lifetimes, dates and session tokens. */
const tokens = fc
  .record({
    accessKeyId: fc.stringMatching(/^(AKIA|ASIA)[A-Z0-9]{16}$/),
    secretAccessKey: fc.string({ minLength: 1, maxLength: 40 }),
    sessionToken: fc.option(fc.string({ minLength: 1, maxLength: 80 }), { nil: undefined }),
    region: fc.constantFrom("us-west-2", "eu-central-1", "ap-southeast-2", "us-gov-west-1"),
    expiresIn: fc.integer({ min: 1, max: 43_200 }),
    date: fc.date({
      min: new Date("2020-01-01"),
      max: new Date("2040-01-01"),
      noInvalidDate: true,
    }),
  })
  .map((input) => presignToken(input));

/** The forms a server might echo a token in. */
function forms(token: string): string[] {
  const body = token.slice(PREFIX.length);
  const url = Buffer.from(body, "base64").toString("utf8");
  const signature = /X-Amz-Signature=([0-9a-f]{64})/.exec(url)?.[1] ?? "";
  return [
    token,
    `Bearer ${token}`,
    encodeURIComponent(token),
    JSON.stringify(token).replaceAll("/", "\\/"),
    body,
    url,
    encodeURIComponent(url),
    url.toUpperCase(),
    signature,
    signature.toUpperCase(),
  ];
}

/** Text around a secret: anything, but not continuing the secret's own alphabet. */
const surroundings = fc.tuple(
  fc.string({ maxLength: 40 }).map((text) => `${text} `),
  fc.string({ maxLength: 40 }).map((text) => ` ${text}`),
);

describe("redactTokens", () => {
  it("removes every form of a token from any text, idempotently", () => {
    fc.assert(
      fc.property(tokens, surroundings, fc.nat(), (token, [before, after], which) => {
        const all = forms(token);
        const form = all[which % all.length] as string;
        const redacted = redactTokens(`${before}${form}${after}`);
        // Any case: a server may echo the decoded URL upper-cased.
        for (const piece of tokenPieces(token)) {
          expect(redacted.toLowerCase()).not.toContain(piece.toLowerCase());
        }
        expect(redacted).not.toMatch(/sagemaker-api-key-(?!\[REDACTED\])[A-Za-z0-9]/);
        expect(redactTokens(redacted)).toBe(redacted);
      }),
      { numRuns: 300 },
    );
  });

  it("leaves JSON text valid JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), tokens, fc.nat(), (value, token, which) => {
        const all = forms(token);
        const text = JSON.stringify({ echo: `x ${all[which % all.length]} y`, value });
        const parsed = JSON.parse(redactTokens(text)) as { echo: string };
        for (const piece of tokenPieces(token)) expect(parsed.echo).not.toContain(piece);
      }),
      { numRuns: 200 },
    );
  });

  it("keeps text that holds no token shape, and names what it removed", () => {
    const plain =
      "The model `qwen3-4b` does not exist (request 0a1b2c3d-4e5f-6789-abcd-ef0123456789).";
    expect(redactTokens(plain)).toBe(plain);
    expect(redactTokens(`a ${PREFIX}abc+/= b`)).toBe(`a ${REDACTED_TOKEN} b`);
    expect(redactTokens("X-Amz-Signature=abc&Version=1")).toBe(
      "X-Amz-Signature=[REDACTED]&Version=1",
    );
    // A 64-digit decimal number is not a signature.
    expect(redactTokens("1".repeat(64))).toBe("1".repeat(64));
  });
});

describe("redactTokensIn", () => {
  const token = presignToken({
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    secretAccessKey: "secret",
    region: "us-west-2",
    expiresIn: 900,
    date: new Date("2026-01-15T12:00:00Z"),
  });

  it("returns clean values as they are", () => {
    const error = new RangeError("fine", { cause: { detail: ["ok"] } });
    expect(redactTokensIn(error)).toBe(error);
    const headers = new Headers({ "x-request-id": "abc" });
    expect(redactTokensIn(headers)).toBe(headers);
    expect(redactTokensIn(42)).toBe(42);
  });

  it("copies an error with a token anywhere in it, keeping its class and every other field", () => {
    class ServerError extends Error {
      status = 401;
      headers = new Headers({ "x-echo": token });
      body = { error: { message: `bad ${token}` } };
    }
    const inner = new TypeError(`inner ${token}`);
    const error = new ServerError(`outer ${token}`, { cause: inner });
    const copy = redactTokensIn(error);
    expect(copy).not.toBe(error);
    expect(copy).toBeInstanceOf(ServerError);
    expect(copy.status).toBe(401);
    expect(copy.message).toBe(`outer ${REDACTED_TOKEN}`);
    expect(copy.stack).toContain(`outer ${REDACTED_TOKEN}`);
    expect(copy.cause).toBeInstanceOf(TypeError);
    expect((copy.cause as Error).stack).not.toContain(token);
    expect(copy.headers.get("x-echo")).toBe(REDACTED_TOKEN);
    expect(copy.body.error.message).toBe(`bad ${REDACTED_TOKEN}`);
    // The original is left alone.
    expect(error.message).toContain(token);
  });

  it("cuts a cycle and rebuilds a DOMException", () => {
    const looped: { self?: unknown; text: string } = { text: token };
    looped.self = looped;
    const copy = redactTokensIn(looped);
    expect(copy.text).toBe(REDACTED_TOKEN);
    expect(copy.self).toBe("[Circular]");
    const abort = redactTokensIn(new DOMException(`aborted ${token}`, "AbortError"));
    expect(abort).toBeInstanceOf(DOMException);
    expect(abort.name).toBe("AbortError");
    expect(abort.message).toBe(`aborted ${REDACTED_TOKEN}`);
  });
});
