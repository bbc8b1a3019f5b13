import { Console } from "node:console";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { decodeToken, generateToken, resolveRegion } from "../../src/auth/index.js";
import { silentCredentials } from "../helpers/credentials.js";
import { rejectionOf } from "../helpers/error-code.js";

const credentials = {
  accessKeyId: "AKIAEXAMPLEEXAMPLE00",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

/** An isolated AWS environment: no region, no credentials, no profile files, no IMDS. */
function isolateAwsEnvironment(): string {
  const dir = mkdtempSync(join(tmpdir(), "aws-env-"));
  for (const name of [
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
  ]) {
    vi.stubEnv(name, undefined);
  }
  vi.stubEnv("AWS_CONFIG_FILE", join(dir, "config"));
  vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", join(dir, "credentials"));
  vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
  return dir;
}

describe("generateToken options", () => {
  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 43_201, "900", null])(
    "refuses expiresIn %s with INVALID_EXPIRES_IN before resolving credentials",
    async (value) => {
      let asked = 0;
      const error = await rejectionOf(
        generateToken({
          region: "us-west-2",
          expiresIn: value as number,
          credentials: async () => {
            asked += 1;
            return credentials;
          },
        }),
      );
      expect(error.code).toBe("INVALID_EXPIRES_IN");
      expect(error.message).toMatch(/whole number of seconds from 1 to 43200/);
      expect(asked).toBe(0);
    },
  );

  it("accepts the bounds 1 and 43200 and defaults to 43200 seconds", async () => {
    const signingDate = new Date("2026-01-01T00:00:00Z");
    for (const [expiresIn, seconds] of [
      [1, 1],
      [43_200, 43_200],
      [undefined, 43_200],
    ] as const) {
      const token = await generateToken({
        region: "us-west-2",
        credentials,
        expiresIn,
        signingDate,
      });
      expect(decodeToken(token).expiresAt.getTime() - signingDate.getTime()).toBe(seconds * 1000);
    }
  });

  it("refuses an invalid signingDate and non-object options", async () => {
    expect(
      (
        await rejectionOf(
          generateToken({ region: "us-west-2", credentials, signingDate: new Date(Number.NaN) }),
        )
      ).code,
    ).toBe("INVALID_SIGNING_DATE");
    expect((await rejectionOf(generateToken("us-west-2" as never))).code).toBe("INVALID_OPTIONS");
  });

  it("validates the region even though the token host carries none", async () => {
    for (const region of ["us-west-2.evil.com", "US-WEST-2", "", "us-west-2#"]) {
      const error = await rejectionOf(generateToken({ region, credentials }));
      expect(error.code).toBe("INVALID_REGION");
    }
  });

  it("refuses malformed static credentials with INVALID_CREDENTIALS naming the field, not the value", async () => {
    const cases: Array<[unknown, string]> = [
      [{ secretAccessKey: "s" }, "accessKeyId"],
      [{ accessKeyId: "AKIA", secretAccessKey: "" }, "secretAccessKey"],
      [{ accessKeyId: "AKIA", secretAccessKey: "line\nbreak-secret" }, "secretAccessKey"],
      [{ accessKeyId: "AKIA", secretAccessKey: "s", sessionToken: 5 }, "sessionToken"],
      [{ accessKeyId: "AKIA", secretAccessKey: "s", expiration: "tomorrow" }, "expiration"],
      ["AKIA:secret", "object"],
    ];
    for (const [value, field] of cases) {
      const error = await rejectionOf(
        generateToken({ region: "us-west-2", credentials: value as never }),
      );
      expect(error.code).toBe("INVALID_CREDENTIALS");
      expect(error.message).toContain(field);
      expect(error.message).not.toContain("break-secret");
    }
  });

  it("treats an empty session token as none, as the AWS SDK's environment provider does", async () => {
    const token = await generateToken({
      region: "us-west-2",
      credentials: { ...credentials, sessionToken: "" },
    });
    expect(decodeToken(token).hasSessionToken).toBe(false);
  });

  it("wraps a throwing provider as CREDENTIALS_UNAVAILABLE naming the cause without key material", async () => {
    const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const cause = new Error(`SSO session expired while reading ${secret}`);
    const error = await rejectionOf(
      generateToken({
        region: "us-west-2",
        credentials: async () => {
          throw cause;
        },
      }),
    );
    expect(error.code).toBe("CREDENTIALS_UNAVAILABLE");
    expect(error.message).toContain("SSO session expired");
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
  });

  it("keeps only a redacted copy of the provider's error as cause, so printing it shows no secret", async () => {
    const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const sessionToken = `IQoJb3JpZ2luX2VjEXAMPLE${"Zm9vYmFy".repeat(12)}`;
    const bearer = `sagemaker-api-key-${"QUJDREVGR0g".repeat(6)}=`;
    const inner = new Error(`credential_process printed {"SessionToken":"${sessionToken}"}`);
    const cause = Object.assign(
      new Error(`SSO session expired while reading ${secret} (${bearer})\nfull dump: ${secret}`, {
        cause: inner,
      }),
      { name: "CredentialsProviderError", code: "ExpiredToken", dump: { secret, sessionToken } },
    );
    const error = await rejectionOf(
      generateToken({
        region: "us-west-2",
        credentials: async () => {
          throw cause;
        },
      }),
    );
    const kept = error.cause as Error & { code?: string; cause?: Error };
    expect(kept).toBeInstanceOf(Error);
    expect(kept).not.toBe(cause);
    // What helps debugging stays: the name, the message's first line without secrets, the code, the chain.
    expect(kept.name).toBe("CredentialsProviderError");
    expect(kept.message).toContain("SSO session expired while reading [REDACTED]");
    expect(kept.code).toBe("ExpiredToken");
    expect(kept.cause?.message).toContain('"SessionToken":"[REDACTED]"');

    const printed: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        printed.push(String(chunk));
        done();
      },
    });
    new Console({ stdout: sink, stderr: sink }).error(error);
    printed.push(
      inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true, getters: true }),
    );
    printed.push(
      inspect(kept, { depth: Number.POSITIVE_INFINITY, showHidden: true, getters: true }),
    );
    printed.push(String(kept.stack), JSON.stringify(error));
    const all = printed.join("\n");
    expect(all).toContain("CredentialsProviderError");
    for (const leaked of [secret, sessionToken, bearer, "full dump"]) {
      expect(all).not.toContain(leaked);
    }
  });

  it("ends a provider that does not answer within credentialsTimeoutMs with CREDENTIALS_UNAVAILABLE", async () => {
    const silent = silentCredentials();
    const error = await rejectionOf(
      generateToken({
        region: "us-west-2",
        credentialsTimeoutMs: 20,
        credentials: silent.provider,
      }),
    );
    expect(error.code).toBe("CREDENTIALS_UNAVAILABLE");
    expect(error.message).toContain("did not answer within 20 ms");
    expect(silent.calls).toBe(1);
  });

  it("refuses a credentialsTimeoutMs out of range before resolving credentials", async () => {
    let asked = 0;
    const error = await rejectionOf(
      generateToken({
        region: "us-west-2",
        credentialsTimeoutMs: -1,
        credentials: async () => {
          asked += 1;
          return credentials;
        },
      }),
    );
    expect(error.code).toBe("INVALID_OPTIONS");
    expect(error.message).toContain(
      "credentialsTimeoutMs must be a whole number of milliseconds from 1 to 3600000",
    );
    expect(asked).toBe(0);
  });

  it("takes the signing instant from signingDate, dropping milliseconds", async () => {
    const token = await generateToken({
      region: "us-west-2",
      credentials,
      signingDate: new Date("2030-05-06T07:08:09.999Z"),
    });
    expect(decodeToken(token).signedAt.toISOString()).toBe("2030-05-06T07:08:09.000Z");
  });
});

describe("region resolution", () => {
  let dir: string;
  beforeEach(() => {
    dir = isolateAwsEnvironment();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("prefers the option, then AWS_REGION, then AWS_DEFAULT_REGION, then the profile", () => {
    writeFileSync(
      join(dir, "config"),
      "[default]\nregion = ap-southeast-7\n\n[profile work] # team account\ns3 =\n  max_concurrent_requests = 2\nregion=eu-west-1 ; comment\n",
    );
    expect(resolveRegion()).toBe("ap-southeast-7");
    vi.stubEnv("AWS_PROFILE", "work");
    expect(resolveRegion()).toBe("eu-west-1");
    vi.stubEnv("AWS_DEFAULT_REGION", "us-east-2");
    expect(resolveRegion()).toBe("us-east-2");
    vi.stubEnv("AWS_REGION", "cn-north-1");
    expect(resolveRegion()).toBe("cn-north-1");
    expect(resolveRegion("us-gov-west-1")).toBe("us-gov-west-1");
  });

  it("counts empty environment variables as unset", () => {
    writeFileSync(join(dir, "config"), "[default]\nregion = sa-east-1\n");
    vi.stubEnv("AWS_REGION", "");
    vi.stubEnv("AWS_DEFAULT_REGION", "");
    expect(resolveRegion()).toBe("sa-east-1");
  });

  it("names every source tried when there is no region", async () => {
    const error = await rejectionOf(generateToken({ credentials }));
    expect(error.code).toBe("REGION_UNRESOLVED");
    for (const source of [
      "`region`",
      "AWS_REGION",
      "AWS_DEFAULT_REGION",
      'profile "default"',
      "AWS_PROFILE",
    ]) {
      expect(error.message).toContain(source);
    }
  });

  it("names the source of a malformed region", async () => {
    vi.stubEnv("AWS_REGION", "us-west-2.evil.com");
    expect((await rejectionOf(generateToken({ credentials }))).message).toContain(
      "AWS_REGION environment variable",
    );
    vi.stubEnv("AWS_REGION", undefined);
    writeFileSync(join(dir, "config"), "[default]\nregion = evil.com/x?\n");
    const error = await rejectionOf(generateToken({ credentials }));
    expect(error.code).toBe("INVALID_REGION");
    expect(error.message).toContain('profile "default"');
  });
});

describe("the default credential chain", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("reads credentials from the environment when none are passed", async () => {
    isolateAwsEnvironment();
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIAFROMENVIRONMENT0");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "env-secret");
    vi.stubEnv("AWS_SESSION_TOKEN", "env-session-token");
    const decoded = decodeToken(await generateToken({ region: "us-west-2" }));
    expect(decoded.accessKeyId).toBe("AKIAFROMENVIRONMENT0");
    expect(decoded.hasSessionToken).toBe(true);
  });
});
