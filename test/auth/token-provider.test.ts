import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type AwsCredentials,
  createTokenProvider,
  decodeToken,
  TOKEN_PROVIDER_LABEL,
} from "../../src/auth/index.js";
import { SageMakerOpenAIError } from "../../src/errors.js";

const T0 = new Date("2026-06-01T12:00:00.250Z");
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/** A credential provider that counts its calls and hands out numbered identities. */
function countingProvider(expiresInMs?: number) {
  const state = { calls: 0 };
  const provider = async (): Promise<AwsCredentials> => {
    state.calls += 1;
    return {
      accessKeyId: `ASIAEXAMPLE${String(state.calls).padStart(9, "0")}`,
      secretAccessKey: SECRET,
      sessionToken: `session-${state.calls}`,
      expiration: expiresInMs === undefined ? undefined : new Date(Date.now() + expiresInMs),
    };
  };
  return { provider, state };
}

function advance(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}

async function rejection(promise: Promise<unknown>): Promise<SageMakerOpenAIError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SageMakerOpenAIError);
  return error as SageMakerOpenAIError;
}

beforeEach(() => {
  // Only the clock is faked: promises and I/O run normally.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("createTokenProvider in cached mode", () => {
  it("mints 15-minute tokens by default and reuses one until 5 minutes before expiry", async () => {
    const { provider, state } = countingProvider();
    const getToken = createTokenProvider({ region: "us-west-2", credentials: provider });
    const first = await getToken();
    const decoded = decodeToken(first);
    expect(decoded.expiresAt.getTime() - decoded.signedAt.getTime()).toBe(900_000);

    // The token's clock starts at the whole second it carries: refresh at 12:10:00.000.
    vi.setSystemTime(new Date("2026-06-01T12:09:59.999Z"));
    expect(await getToken()).toBe(first);
    vi.setSystemTime(new Date("2026-06-01T12:10:00.000Z"));
    const second = await getToken();
    expect(second).not.toBe(first);
    expect(decodeToken(second).signedAt.toISOString()).toBe("2026-06-01T12:10:00.000Z");
    // Credentials without expiration are resolved once.
    expect(state.calls).toBe(1);
  });

  it("refreshes early when the credentials expire before the token would", async () => {
    const { provider, state } = countingProvider(400_000);
    const getToken = createTokenProvider({
      region: "us-west-2",
      credentials: provider,
      refreshBeforeSeconds: 60,
    });
    const first = await getToken();
    advance(339_000);
    expect(await getToken()).toBe(first);
    advance(1_000);
    const second = await getToken();
    expect(second).not.toBe(first);
    // Expiring credentials were resolved again, and the new token carries the new identity.
    expect(state.calls).toBe(2);
    expect(decodeToken(second).accessKeyId).toBe("ASIAEXAMPLE000000002");
  });

  it("shares one mint among concurrent callers", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    const getToken = createTokenProvider({
      region: "us-west-2",
      credentials: async () => {
        calls += 1;
        await gate;
        return { accessKeyId: "AKIAEXAMPLEEXAMPLE00", secretAccessKey: SECRET };
      },
    });
    const pending = Array.from({ length: 20 }, () => getToken());
    release();
    const tokens = await Promise.all(pending);
    expect(new Set(tokens).size).toBe(1);
    expect(calls).toBe(1);
  });

  it("does not cache a failed mint: the next call tries again", async () => {
    let fail = true;
    const getToken = createTokenProvider({
      region: "us-west-2",
      credentials: async () => {
        if (fail) {
          throw new Error("connect ECONNREFUSED 169.254.169.254:80");
        }
        return { accessKeyId: "AKIAEXAMPLEEXAMPLE00", secretAccessKey: SECRET };
      },
    });
    const error = await rejection(getToken());
    expect(error.code).toBe("CREDENTIALS_UNAVAILABLE");
    expect(error.message).toContain("ECONNREFUSED");
    fail = false;
    expect(decodeToken(await getToken()).accessKeyId).toBe("AKIAEXAMPLEEXAMPLE00");
  });

  it("refuses credentials that have already expired with CREDENTIALS_EXPIRED", async () => {
    const getToken = createTokenProvider({
      region: "us-west-2",
      credentials: async () => ({
        accessKeyId: "ASIAEXAMPLEEXAMPLE00",
        secretAccessKey: SECRET,
        sessionToken: "stale",
        expiration: new Date(Date.now() - 1),
      }),
    });
    const error = await rejection(getToken());
    expect(error.code).toBe("CREDENTIALS_EXPIRED");
    expect(error.message).not.toContain(SECRET);
  });
});

describe("createTokenProvider in per-request mode", () => {
  it("mints a new token on every call but resolves lasting credentials once", async () => {
    const { provider, state } = countingProvider();
    const getToken = createTokenProvider({
      region: "us-west-2",
      credentials: provider,
      mode: "per-request",
    });
    const tokens: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      tokens.push(await getToken());
      advance(1_000);
    }
    expect(new Set(tokens).size).toBe(3);
    expect(tokens.map((token) => decodeToken(token).signedAt.getTime())).toEqual([
      Math.floor(T0.getTime() / 1000) * 1000,
      Math.floor(T0.getTime() / 1000) * 1000 + 1000,
      Math.floor(T0.getTime() / 1000) * 1000 + 2000,
    ]);
    expect(state.calls).toBe(1);
  });
});

describe("createTokenProvider options", () => {
  it.each([
    [{ expiresIn: 0 }, "INVALID_EXPIRES_IN"],
    [{ expiresIn: 43_201 }, "INVALID_EXPIRES_IN"],
    [{ refreshBeforeSeconds: 900 }, "INVALID_REFRESH_BEFORE"],
    [{ expiresIn: 60, refreshBeforeSeconds: 60 }, "INVALID_REFRESH_BEFORE"],
    [{ refreshBeforeSeconds: -1 }, "INVALID_REFRESH_BEFORE"],
    [{ mode: "sometimes" }, "INVALID_OPTIONS"],
    [{ region: "us-west-2.evil.com" }, "INVALID_REGION"],
    [{ credentials: { accessKeyId: "AKIA" } }, "INVALID_CREDENTIALS"],
  ])("refuses %o with %s at creation", (options, code) => {
    expect(() =>
      createTokenProvider({
        region: "us-west-2",
        credentials: { accessKeyId: "AKIA", secretAccessKey: SECRET },
        ...(options as object),
      }),
    ).toThrow(expect.objectContaining({ code }));
  });

  it("defaults the refresh margin to half of a short lifetime", async () => {
    const getToken = createTokenProvider({
      region: "us-west-2",
      credentials: { accessKeyId: "AKIAEXAMPLEEXAMPLE00", secretAccessKey: SECRET },
      expiresIn: 60,
    });
    const first = await getToken();
    vi.setSystemTime(new Date("2026-06-01T12:00:29.999Z"));
    expect(await getToken()).toBe(first);
    vi.setSystemTime(new Date("2026-06-01T12:00:30.000Z"));
    expect(await getToken()).not.toBe(first);
  });
});

describe("a token provider does not reveal its tokens", () => {
  it("through JSON.stringify, String() or util.inspect, before and after minting", async () => {
    const getToken = createTokenProvider({
      region: "us-west-2",
      credentials: { accessKeyId: "AKIAEXAMPLEEXAMPLE00", secretAccessKey: SECRET },
    });
    const token = await getToken();
    for (const shown of [
      JSON.stringify(getToken),
      JSON.stringify({ apiKey: getToken }),
      String(getToken),
      inspect(getToken, { showHidden: true, depth: 5 }),
      inspect({ apiKey: getToken }),
    ]) {
      expect(shown).toContain(TOKEN_PROVIDER_LABEL);
      expect(shown).not.toContain(token);
      expect(shown).not.toContain("sagemaker-api-key-");
      expect(shown).not.toContain(SECRET);
    }
  });
});

describe("the default credential chain", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("surfaces an empty environment as CREDENTIALS_UNAVAILABLE, without network", async () => {
    for (const name of [
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "AWS_PROFILE",
      "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
      "AWS_CONTAINER_CREDENTIALS_FULL_URI",
      "AWS_WEB_IDENTITY_TOKEN_FILE",
    ]) {
      vi.stubEnv(name, undefined);
    }
    vi.stubEnv("AWS_CONFIG_FILE", "/nonexistent/aws/config");
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws/credentials");
    vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
    const getToken = createTokenProvider({ region: "us-west-2" });
    const error = await rejection(getToken());
    expect(error.code).toBe("CREDENTIALS_UNAVAILABLE");
    expect(error.message).toContain("default AWS credential chain");
  });
});
