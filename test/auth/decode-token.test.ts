import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeToken, generateToken, MalformedTokenError } from "../../src/auth/index.js";

const credentials = {
  accessKeyId: "ASIAEXAMPLEEXAMPLE00",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  sessionToken: "FwoGZXIvYXdzEXAMPLESESSIONTOKEN/+=",
};
const signingDate = new Date("2026-03-04T05:06:07.890Z");

/** Re-encodes a token whose presigned URL was edited by `edit`. */
function tamper(token: string, edit: (url: string) => string): string {
  const url = Buffer.from(token.slice("sagemaker-api-key-".length), "base64").toString("latin1");
  return `sagemaker-api-key-${Buffer.from(edit(url), "latin1").toString("base64")}`;
}

function malformedReason(token: unknown): string {
  try {
    decodeToken(token as string);
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedTokenError);
    expect((error as MalformedTokenError).code).toBe("MALFORMED_TOKEN");
    return (error as Error).message;
  }
  throw new Error("expected decodeToken to refuse the input");
}

describe("decodeToken", () => {
  it("reads region, access key id, validity window and session-token presence", async () => {
    const token = await generateToken({
      region: "eu-central-1",
      credentials,
      expiresIn: 900,
      signingDate,
    });
    expect(decodeToken(token)).toEqual({
      region: "eu-central-1",
      accessKeyId: "ASIAEXAMPLEEXAMPLE00",
      signedAt: new Date("2026-03-04T05:06:07Z"),
      expiresAt: new Date("2026-03-04T05:21:07Z"),
      hasSessionToken: true,
    });
  });

  it("never returns the signature or the session token", async () => {
    const token = await generateToken({ region: "us-west-2", credentials, signingDate });
    const decoded = JSON.stringify(decodeToken(token));
    expect(decoded).not.toContain("EXAMPLESESSIONTOKEN");
    const signature = /X-Amz-Signature=([0-9a-f]{64})/.exec(
      Buffer.from(token.slice(18), "base64").toString(),
    )?.[1];
    expect(signature).toBeDefined();
    expect(decoded).not.toContain(signature);
  });

  it("round-trips whatever generateToken mints", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          accessKeyId: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !/\p{Cc}/u.test(s)),
          sessionToken: fc.option(fc.stringMatching(/^[A-Za-z0-9/+=]{1,200}$/), { nil: undefined }),
          region: fc.constantFrom("us-west-2", "cn-north-1", "us-gov-west-1", "eu-isoe-west-1"),
          expiresIn: fc.integer({ min: 1, max: 43_200 }),
          seconds: fc.integer({ min: 0, max: 253_402_300_799 }),
        }),
        async ({ accessKeyId, sessionToken, region, expiresIn, seconds }) => {
          const token = await generateToken({
            region,
            credentials: { accessKeyId, secretAccessKey: "secret", sessionToken },
            expiresIn,
            signingDate: new Date(seconds * 1000 + 999),
          });
          expect(decodeToken(token)).toEqual({
            region,
            accessKeyId,
            signedAt: new Date(seconds * 1000),
            expiresAt: new Date((seconds + expiresIn) * 1000),
            hasSessionToken: sessionToken !== undefined,
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it("throws only MalformedTokenError on arbitrary input", () => {
    const inputs = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.string().map((s) => `sagemaker-api-key-${s}`),
      fc.string().map((s) => `sagemaker-api-key-${Buffer.from(s).toString("base64")}`),
      fc
        .array(
          fc.tuple(
            fc.constantFrom(
              "Action",
              "X-Amz-Algorithm",
              "X-Amz-Credential",
              "X-Amz-Date",
              "X-Amz-Expires",
              "X-Amz-SignedHeaders",
              "X-Amz-Security-Token",
              "X-Amz-Signature",
              "Version",
            ),
            fc.string(),
          ),
        )
        .map(
          (pairs) =>
            `sagemaker-api-key-${Buffer.from(
              `sagemaker.amazonaws.com/?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}`,
            ).toString("base64")}`,
        ),
      fc.anything(),
    );
    fc.assert(
      fc.property(inputs, (input) => {
        try {
          decodeToken(input as string);
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedTokenError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("names what is wrong in each malformation, without repeating the token", async () => {
    const token = await generateToken({ region: "us-west-2", credentials, signingDate });
    const cases: Array<[unknown, RegExp]> = [
      [42, /expected a string/],
      ["Bearer abc", /lacks the "sagemaker-api-key" prefix/],
      ["sagemaker-api-key-", /not standard padded base64/],
      ["sagemaker-api-key-abc", /not standard padded base64/],
      ["sagemaker-api-key-YR==", /not canonical base64/],
      [`sagemaker-api-key-${"A".repeat(70_000)}`, /longer than/],
      [tamper(token, (u) => u.replace("sagemaker.amazonaws.com", "evil.example")), /addressed to/],
      [tamper(token, (u) => u.replace("&Version=1", "")), /no Version/],
      [tamper(token, (u) => u.replace("&Version=1", "&Version=2")), /Version must be 1/],
      [tamper(token, (u) => u.replace("CallWithBearerToken", "Other")), /Action must be/],
      [tamper(token, (u) => `${u}&Version=1`), /repeats Version/],
      [tamper(token, (u) => `${u}&Extra=1`), /unexpected query parameter "Extra"/],
      [tamper(token, (u) => u.replace("us-west-2", "us-west-2.evil.com")), /not an AWS region/],
      [tamper(token, (u) => u.replace("%2Fsagemaker%2F", "%2Fs3%2F")), /not for the sagemaker/],
      [tamper(token, (u) => u.replace(/X-Amz-Date=2026/, "X-Amz-Date=2025")), /differs from/],
      [tamper(token, (u) => u.replace(/X-Amz-Date=20260304/, "X-Amz-Date=20260230")), /valid UTC/],
      [tamper(token, (u) => u.replace("X-Amz-Expires=43200", "X-Amz-Expires=43201")), /Expires/],
      [tamper(token, (u) => u.replace("X-Amz-Expires=43200", "X-Amz-Expires=0")), /Expires/],
      [
        tamper(token, (u) => u.replace(/X-Amz-Signature=[0-9a-f]{4}/, "X-Amz-Signature=XYZW")),
        /hex/,
      ],
      [
        tamper(token, (u) => u.replace(/X-Amz-Security-Token=[^&]*/, "X-Amz-Security-Token=")),
        /empty/,
      ],
      [tamper(token, (u) => u.replace("X-Amz-Credential=", "X-Amz-Credential=%ZZ")), /percent/],
      [
        tamper(token, (u) => u.replace(/X-Amz-Credential=[^%]*/, "X-Amz-Credential=")),
        /access key/,
      ],
    ];
    for (const [input, reason] of cases) {
      const message = malformedReason(input);
      expect(message).toMatch(reason);
      expect(message).not.toContain("EXAMPLESESSIONTOKEN");
      expect(message).not.toContain(token.slice(18, 60));
    }
  });
});
