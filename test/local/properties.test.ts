/**
 * Property tests of the request handling: whatever method, path, headers and
 * body a caller sends (raw bytes included), the server answers with JSON and a
 * status that fits, and keeps serving. And of the verifier: arbitrary
 * Authorization values are refused with a known reason, and no single-character
 * change of a valid token verifies unless it decodes to the same parameters.
 */
import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REFUSAL_REASONS } from "../../src/local/index.js";
import { TokenVerifier } from "../../src/local/token-verifier.js";
import {
  FIXED_NOW,
  mintToken,
  postChat,
  rawRequest,
  startTestEndpoint,
  TEST_CREDENTIALS,
  type TestEndpoint,
  tokenUrl,
} from "../helpers/local-endpoint.js";

let local: TestEndpoint;
let token: string;

beforeAll(async () => {
  local = await startTestEndpoint({ maxBodyBytes: 2048, maxLoggedRequests: 100 });
  token = await mintToken();
});
afterAll(() => local.close());

const segment = fc.oneof(
  fc.constantFrom(
    "ep1",
    "ep2",
    "coder",
    "reviewer",
    "nope",
    "",
    "..",
    "%2F",
    "inference-components",
  ),
  fc.stringMatching(/^[A-Za-z0-9._~%-]{0,12}$/),
);
const path = fc.oneof(
  fc
    .tuple(segment, fc.option(segment, { nil: undefined }))
    .map(([ep, ic]) =>
      ic === undefined
        ? `/endpoints/${ep}/openai/v1/chat/completions`
        : `/endpoints/${ep}/inference-components/${ic}/openai/v1/chat/completions`,
    ),
  fc.array(segment, { maxLength: 8 }).map((parts) => `/${parts.join("/")}`),
  fc.constantFrom("/_local/faults", "/_local/requests", "/_local/x"),
);
const message = fc.dictionary(
  fc.constantFrom("role", "content", "name", "tool_calls"),
  fc.jsonValue({ maxDepth: 2 }),
);
const body = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 3 }),
  fc
    .record(
      {
        messages: fc.oneof(fc.array(message, { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })),
        model: fc.oneof(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 })),
        stream: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 1 })),
        stream_options: fc.jsonValue({ maxDepth: 1 }),
        tools: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
  fc.constant("x".repeat(3000)),
);

describe("request handling never crashes and always answers JSON", () => {
  it("for arbitrary methods, paths, authorization, content types and bodies", async () => {
    const statuses = new Set([200, 201, 400, 401, 403, 404, 413, 415]);
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 4, arbitrary: fc.constant("POST") },
          fc.constantFrom("GET", "PUT", "DELETE", "PATCH", "OPTIONS"),
        ),
        path,
        fc.oneof(
          fc.constant(`Bearer ${token}`),
          fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
          fc.constant(undefined),
        ),
        fc.constantFrom("application/json", "text/plain", undefined),
        body,
        async (method, target, authorization, contentType, payload) => {
          const headers: Record<string, string> = {};
          if (authorization !== undefined) headers.authorization = authorization;
          if (contentType !== undefined) headers["content-type"] = contentType;
          const res = await rawRequest(local.url, { method, path: target, headers, body: payload });
          expect(statuses).toContain(res.status);
          seen.add(res.status);
          if (res.headers["content-type"]?.startsWith("text/event-stream")) {
            expect(res.status).toBe(200);
            expect(res.text.endsWith("data: [DONE]\n\n")).toBe(true);
          } else {
            expect(res.headers["content-type"]).toBe("application/json");
            expect(res.json).toBeTypeOf("object");
          }
          expect(res.text).not.toContain(token);
        },
      ),
      { numRuns: 300 },
    );
    // The generators reach every stage: routing, auth, body checks, size limit and the backend.
    expect([...seen].sort()).toEqual(expect.arrayContaining([200, 400, 401, 404, 413, 415]));
    // Still serving normally afterwards.
    local.clearFaults();
    const after = await postChat(local.url, token);
    expect(after.status).toBe(200);
  });

  it("for raw bytes that are not valid HTTP", async () => {
    const { hostname, port } = new URL(local.url);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), async (bytes) => {
        const answer = await new Promise<string>((resolve) => {
          const socket = connect(Number(port), hostname);
          let received = "";
          socket.on("data", (data) => {
            received += data.toString("latin1");
          });
          socket.on("error", () => resolve(received));
          socket.on("close", () => resolve(received));
          // A request line that never completes would wait for the header timeout; end our side instead.
          socket.end(Buffer.concat([Buffer.from(bytes), Buffer.from("\r\n\r\n")]));
        });
        if (answer !== "") {
          expect(answer).toMatch(/^HTTP\/1\.1 \d{3} /);
          const json = answer.slice(answer.indexOf("\r\n\r\n") + 4);
          expect(() => JSON.parse(json.split("HTTP/1.1")[0] ?? "")).not.toThrow();
        }
      }),
      { numRuns: 100 },
    );
    const after = await postChat(local.url, token);
    expect(after.status).toBe(200);
  });
});

describe("token verifier properties", () => {
  const verifier = () =>
    new TokenVerifier({
      region: "us-west-2",
      credentials: [TEST_CREDENTIALS],
      clock: () => FIXED_NOW + 1000,
    });

  it("refuses arbitrary Authorization values with a known reason, without throwing", () => {
    const v = verifier();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `Bearer ${s}`),
          fc.string().map((s) => `Bearer sagemaker-api-key-${s}`),
          fc.string().map((s) => `Bearer sagemaker-api-key-${Buffer.from(s).toString("base64")}`),
          fc
            .string()
            .map(
              (s) =>
                `Bearer sagemaker-api-key-${Buffer.from(`sagemaker.amazonaws.com/?${s}`).toString("base64")}`,
            ),
        ),
        (header) => {
          const result = v.verify(header);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(REFUSAL_REASONS).toContain(result.reason);
        },
      ),
      { numRuns: 2000 },
    );
  });

  /** The query parameters after percent-decoding: what the signature actually covers. */
  const decoded = (url: string) =>
    url.split("&").map((pair) => {
      try {
        return decodeURIComponent(pair);
      } catch {
        return pair;
      }
    });

  it("refuses every single-character change of a valid token unless it decodes to the same parameters", async () => {
    const valid = await mintToken({ signingDate: new Date(FIXED_NOW) });
    const original = tokenUrl(valid);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    expect(verifier().verify(`Bearer ${valid}`)).toEqual({
      ok: true,
      accessKeyId: TEST_CREDENTIALS.accessKeyId,
    });
    fc.assert(
      fc.property(
        fc.nat({ max: valid.length - 1 }),
        fc.constantFrom(...alphabet),
        (index, char) => {
          const changed = valid.slice(0, index) + char + valid.slice(index + 1);
          fc.pre(changed !== valid);
          const result = verifier().verify(`Bearer ${changed}`);
          // Only an equivalent spelling may pass, such as %2f for %2F (SigV4 re-encodes before signing).
          if (result.ok) expect(decoded(tokenUrl(changed))).toEqual(decoded(original));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
