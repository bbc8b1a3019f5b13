import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REDACTED_TOKEN } from "../../src/errors.js";
import { readServerError } from "../../src/model/server-error.js";

describe("readServerError", () => {
  it("reads current vLLM's nested body", () => {
    const body = {
      error: {
        message: "The model `x` does not exist.",
        type: "NotFoundError",
        param: "model",
        code: 404,
      },
    };
    expect(readServerError(body)).toEqual({
      message: "The model `x` does not exist.",
      type: "NotFoundError",
      param: "model",
      code: 404,
    });
  });

  it("reads older vLLM's flat body, given as text or bytes too", () => {
    const body = {
      object: "error",
      message: "maximum context length is 4096 tokens",
      type: "BadRequestError",
      param: null,
      code: 400,
    };
    const expected = {
      message: "maximum context length is 4096 tokens",
      type: "BadRequestError",
      code: 400,
    };
    expect(readServerError(body)).toEqual(expected);
    expect(readServerError(JSON.stringify(body))).toEqual(expected);
    expect(readServerError(new TextEncoder().encode(JSON.stringify(body)))).toEqual(expected);
  });

  it("reads SageMaker and AWS JSON bodies, dropping the __type namespace", () => {
    expect(readServerError({ message: "Endpoint x of account 1 not found." })).toEqual({
      message: "Endpoint x of account 1 not found.",
    });
    expect(
      readServerError({
        __type: "com.amazonaws.sagemaker#ThrottlingException:http://internal",
        Message: "Rate exceeded",
      }),
    ).toEqual({ message: "Rate exceeded", type: "ThrottlingException" });
    expect(
      readServerError({ ErrorCode: "CLIENT_ERROR_FROM_MODEL", Message: "Received client error" }),
    ).toEqual({ message: "Received client error", code: "CLIENT_ERROR_FROM_MODEL" });
  });

  it("reads a bare error string and FastAPI's detail", () => {
    expect(readServerError({ error: "Unauthorized" })).toEqual({ message: "Unauthorized" });
    expect(readServerError('{"detail":"Not Found"}')).toEqual({ message: "Not Found" });
  });

  it("falls back to the type or code when there is no message", () => {
    expect(readServerError({ error: { type: "InternalServerError" } })).toEqual({
      message: "InternalServerError",
      type: "InternalServerError",
    });
    expect(readServerError({ object: "error", code: 500 })).toEqual({ message: "500", code: 500 });
  });

  it("returns undefined for bodies that are not errors", () => {
    for (const body of [
      undefined,
      null,
      "",
      "<html>502 Bad Gateway</html>",
      42,
      [],
      {},
      { ok: 1 },
    ]) {
      expect(readServerError(body)).toBeUndefined();
    }
  });

  it("redacts a bearer token echoed in the body", () => {
    const token = "sagemaker-api-key-c2FnZW1ha2VyLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1DYWxs";
    const error = readServerError({ error: { message: `bad token ${token}`, param: token } });
    expect(JSON.stringify(error)).not.toContain(token);
    expect(error?.message).toBe(`bad token ${REDACTED_TOKEN}`);
  });

  it("never throws and never returns a token, whatever the body", () => {
    const token = fc.stringMatching(/^[A-Za-z0-9+/=]{1,40}$/).map((b) => `sagemaker-api-key-${b}`);
    // Any UTF-16 code units, lone surrogates included. Not fc.string({ unit: "binary" }): building
    // its table of every code point took 2.5 s on a quiet machine and pushed this test past 30 s
    // on a loaded one. Bounded JSON for the same reason: a body's shape is what the reader branches on.
    const text = fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)),
      maxLength: 200,
    });
    const json = fc.jsonValue({ maxDepth: 3 });
    const field = fc.oneof(json, text, token);
    const body = fc.oneof(
      json,
      text,
      fc.record({
        error: fc.dictionary(fc.constantFrom("message", "type", "code", "param"), field),
      }),
      fc.dictionary(
        fc.constantFrom("object", "message", "Message", "__type", "code", "error"),
        field,
      ),
    );
    fc.assert(
      fc.property(body, fc.boolean(), (value, asText) => {
        const error = readServerError(asText ? JSON.stringify(value) : value);
        if (error === undefined) return;
        expect(typeof error.message).toBe("string");
        expect(JSON.stringify(error)).not.toMatch(/sagemaker-api-key-(?!\[REDACTED\])/);
      }),
      { numRuns: 500 },
    );
  });
});
