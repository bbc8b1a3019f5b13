/**
 * Byte-for-byte agreement with the official Python SDK's algorithm (botocore
 * SigV4QueryAuth) over a few hundred random cases, and signature agreement with
 * @smithy/signature-v4's presign as a second, independent oracle.
 */
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeToken, generateToken } from "../../src/auth/index.js";
import {
  type BotocoreCase,
  type BotocoreMinter,
  botocoreUnavailableReason,
  startBotocoreMinter,
} from "../helpers/botocore-minter.js";

const printable = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.oneof(
    // Any printable ASCII, "/", "+", "=", "%", "&", "~", "!" and space included.
    fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
      minLength,
      maxLength,
    }),
    // The base64 alphabet real secrets and session tokens use.
    fc.stringMatching(new RegExp(`^[A-Za-z0-9/+=]{${minLength},${maxLength}}$`)),
    // Some non-ASCII text, which both sides must encode as UTF-8.
    fc.string({ unit: "grapheme", minLength, maxLength }).filter((s) => !/\p{Cc}/u.test(s)),
  );

const region = fc
  .tuple(
    fc.constantFrom(
      "us",
      "eu",
      "ap",
      "sa",
      "ca",
      "me",
      "af",
      "il",
      "mx",
      "cn",
      "us-gov",
      "us-iso",
      "us-isob",
      "eu-isoe",
      "us-isof",
      "eusc-de",
    ),
    fc.stringMatching(/^[a-z]{2,16}$/),
    fc.integer({ min: 1, max: 99 }),
  )
  .map(([prefix, direction, number]) => `${prefix}-${direction}-${number}`);

const tokenCase = fc.record({
  accessKeyId: fc.oneof(fc.stringMatching(/^(AKIA|ASIA)[A-Z0-9]{16}$/), printable(1, 40)),
  secretAccessKey: printable(1, 60),
  sessionToken: fc.option(printable(1, 400), { nil: undefined }),
  region,
  expiresIn: fc.oneof(fc.constantFrom(1, 900, 43_200), fc.integer({ min: 1, max: 43_200 })),
  signingDate: fc.date({
    min: new Date("1970-01-01T00:00:00Z"),
    max: new Date("9999-12-31T23:59:59Z"),
    noInvalidDate: true,
  }),
});

type TokenCase = typeof tokenCase extends fc.Arbitrary<infer T> ? T : never;

function ours(testCase: TokenCase): Promise<string> {
  return generateToken({
    region: testCase.region,
    credentials: {
      accessKeyId: testCase.accessKeyId,
      secretAccessKey: testCase.secretAccessKey,
      sessionToken: testCase.sessionToken,
    },
    expiresIn: testCase.expiresIn,
    signingDate: testCase.signingDate,
  });
}

function forBotocore(testCase: TokenCase): BotocoreCase {
  const { signingDate, sessionToken, ...rest } = testCase;
  return {
    ...rest,
    ...(sessionToken === undefined ? {} : { sessionToken }),
    epochSeconds: Math.floor(signingDate.getTime() / 1000),
  };
}

const unavailable = botocoreUnavailableReason();
const inCI = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";
if (unavailable !== undefined && !inCI) {
  console.warn(
    `SKIPPED botocore cross-check: ${unavailable}. Install python3 + botocore to run it.`,
  );
}

describe("botocore is available where the cross-check must run", () => {
  it.runIf(inCI)("python3 with botocore is installed under CI", () => {
    expect(unavailable, "CI must run the botocore cross-check").toBeUndefined();
  });
});

describe.skipIf(unavailable !== undefined)("generateToken versus botocore SigV4QueryAuth", () => {
  let botocore: BotocoreMinter;
  beforeAll(() => {
    botocore = startBotocoreMinter();
  });
  afterAll(() => botocore.close());

  it("matches the Python SDK's token byte for byte on a fixed case with a session token", async () => {
    const testCase: TokenCase = {
      accessKeyId: "ASIAEXAMPLEEXAMPLE00",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      sessionToken: "IQoJb3JpZ2luX2VjE/+==",
      region: "us-west-2",
      expiresIn: 900,
      signingDate: new Date("2026-01-02T03:04:05.678Z"),
    };
    expect(await ours(testCase)).toBe(await botocore.mint(forBotocore(testCase)));
  });

  it("matches byte for byte on 300 random cases (key material, regions, lifetimes, instants)", async () => {
    await fc.assert(
      fc.asyncProperty(tokenCase, async (testCase) => {
        expect(await ours(testCase)).toBe(await botocore.mint(forBotocore(testCase)));
      }),
      { numRuns: 300 },
    );
  });
});

/** The `Checksum` shape @smithy/signature-v4 wants, on node:crypto. */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) {
      return createHash("sha256");
    }
    return createHmac("sha256", toBuffer(this.secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === "string") {
    return Buffer.from(data, "utf8");
  }
  if (ArrayBuffer.isView(data)) {
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }
  return Buffer.from(data);
}

function queryOf(token: string): URLSearchParams {
  const url = Buffer.from(token.slice("sagemaker-api-key-".length), "base64").toString("utf8");
  return new URLSearchParams(url.slice(url.indexOf("?") + 1));
}

describe("generateToken versus @smithy/signature-v4 presign", () => {
  it("computes the same signature and parameters on 100 random cases", async () => {
    await fc.assert(
      fc.asyncProperty(tokenCase, async (testCase) => {
        const signer = new SignatureV4({
          service: "sagemaker",
          region: testCase.region,
          credentials: {
            accessKeyId: testCase.accessKeyId,
            secretAccessKey: testCase.secretAccessKey,
            ...(testCase.sessionToken === undefined ? {} : { sessionToken: testCase.sessionToken }),
          },
          sha256: NodeSha256,
        });
        const presigned = await signer.presign(
          {
            method: "POST",
            protocol: "https:",
            hostname: "sagemaker.amazonaws.com",
            path: "/",
            query: { Action: "CallWithBearerToken" },
            headers: { host: "sagemaker.amazonaws.com" },
          },
          { expiresIn: testCase.expiresIn, signingDate: testCase.signingDate },
        );
        const token = await ours(testCase);
        const query = queryOf(token);
        for (const name of [
          "X-Amz-Signature",
          "X-Amz-Credential",
          "X-Amz-Date",
          "X-Amz-Expires",
          "X-Amz-SignedHeaders",
          "X-Amz-Security-Token",
        ]) {
          expect(query.get(name) ?? undefined, name).toBe(presigned.query?.[name] ?? undefined);
        }
        expect(decodeToken(token).hasSessionToken).toBe(testCase.sessionToken !== undefined);
      }),
      { numRuns: 100 },
    );
  });
});
