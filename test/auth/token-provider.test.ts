import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type AwsCredentials,
  createTokenProvider,
  decodeToken,
  TOKEN_PROVIDER_LABEL,
} from "../../src/auth/index.js";
import { SageMakerOpenAIError } from "../../src/errors.js";
import { rejectionOf } from "../helpers/error-code.js";

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
    const error = await rejectionOf(getToken());
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
    const error = await rejectionOf(getToken());
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
    const error = await rejectionOf(getToken());
    expect(error.code).toBe("CREDENTIALS_UNAVAILABLE");
    expect(error.message).toContain("default AWS credential chain");
  });
});

describe("a credential provider that does not answer (credentialsTimeoutMs)", () => {
  /** A provider that hangs until `recover()`, then hands out lasting credentials. */
  function hangingProvider() {
    const state = { calls: 0, answers: false };
    const provider = (): Promise<AwsCredentials> => {
      state.calls += 1;
      if (!state.answers) return new Promise(() => {});
      return Promise.resolve({ accessKeyId: "AKIAEXAMPLEEXAMPLE00", secretAccessKey: SECRET });
    };
    return { provider, state, recover: () => (state.answers = true) };
  }

  it("ends each waiting call with CREDENTIALS_UNAVAILABLE and asks the provider again next time", async () => {
    const { provider, state, recover } = hangingProvider();
    const getToken = createTokenProvider({
      region: "us-west-2",
      credentials: provider,
      credentialsTimeoutMs: 20,
    });
    // Concurrent callers share the one pending resolution and its failure.
    const first = await Promise.all(Array.from({ length: 5 }, () => rejectionOf(getToken())));
    expect(state.calls).toBe(1);
    for (const error of first) {
      expect(error.code).toBe("CREDENTIALS_UNAVAILABLE");
      expect(error.message).toContain("did not answer within 20 ms.");
      expect(error.message).toContain("give it longer (credentialsTimeoutMs");
    }
    // The timed-out resolution is not kept: the next call asks the provider again.
    expect((await rejectionOf(getToken())).code).toBe("CREDENTIALS_UNAVAILABLE");
    expect(state.calls).toBe(2);
    recover();
    expect(decodeToken(await getToken()).accessKeyId).toBe("AKIAEXAMPLEEXAMPLE00");
    expect(state.calls).toBe(3);
  });

  it("gives the provider 10 seconds by default", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"] });
    vi.setSystemTime(T0);
    const { provider } = hangingProvider();
    const getToken = createTokenProvider({ region: "us-west-2", credentials: provider });
    let settled = false;
    const pending = getToken().finally(() => {
      settled = true;
    });
    pending.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await rejectionOf(pending)).message).toContain("within 10000 ms");
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 3_600_001, "10", null])(
    "refuses credentialsTimeoutMs %s at creation, naming the range",
    (value) => {
      expect(() =>
        createTokenProvider({
          region: "us-west-2",
          credentials: async () => ({ accessKeyId: "AKIA", secretAccessKey: SECRET }),
          credentialsTimeoutMs: value as number,
        }),
      ).toThrow(
        expect.objectContaining({
          code: "INVALID_OPTIONS",
          message: expect.stringContaining(
            "credentialsTimeoutMs must be a whole number of milliseconds from 1 to 3600000",
          ),
        }),
      );
    },
  );

  it("accepts the bounds 1 and 3600000", () => {
    for (const credentialsTimeoutMs of [1, 3_600_000]) {
      expect(() =>
        createTokenProvider({
          region: "us-west-2",
          credentials: async () => ({}) as AwsCredentials,
          credentialsTimeoutMs,
        }),
      ).not.toThrow();
    }
  });
});

describe("a clock that does not tell the time", () => {
  it.each([Number.NaN, Number.POSITIVE_INFINITY, -1, 253_402_300_800_000, "now", undefined])(
    "refuses a clock returning %s at creation with INVALID_OPTIONS naming the range",
    (reading) => {
      const error = (() => {
        try {
          createTokenProvider({
            region: "us-west-2",
            credentials: { accessKeyId: "AKIAEXAMPLEEXAMPLE00", secretAccessKey: SECRET },
            clock: () => reading as number,
          });
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(SageMakerOpenAIError);
      expect((error as SageMakerOpenAIError).code).toBe("INVALID_OPTIONS");
      expect((error as Error).message).toContain(
        "clock must return epoch milliseconds, a finite number from 0 to 253402300799999",
      );
    },
  );

  it("fails a call with the typed error, not a RangeError, when the clock goes bad later", async () => {
    let reading = Date.now();
    const getToken = createTokenProvider({
      region: "us-west-2",
      credentials: { accessKeyId: "AKIAEXAMPLEEXAMPLE00", secretAccessKey: SECRET },
      clock: () => reading,
    });
    reading = Number.NaN;
    const error = await rejectionOf(getToken());
    expect(error.code).toBe("INVALID_OPTIONS");
    expect(error.message).toContain("it returned NaN");
  });
});

describe("credentials with less than refreshBeforeSeconds left", () => {
  /** A provider with nothing fresher: the same credentials, expiring 200 s after T0, every time. */
  function nearExpiryProvider() {
    const state = { calls: 0 };
    const expiration = new Date(T0.getTime() + 200_000);
    const provider = async (): Promise<AwsCredentials> => {
      state.calls += 1;
      return {
        accessKeyId: "ASIAEXAMPLEEXAMPLE00",
        secretAccessKey: SECRET,
        sessionToken: "session",
        expiration,
      };
    };
    return { provider, state, expiration };
  }

  it("serves 100 calls in a burst with one provider call and one signature", async () => {
    const { provider, state } = nearExpiryProvider();
    const getToken = createTokenProvider({ region: "us-west-2", credentials: provider });
    const tokens = new Set<string>();
    for (let i = 0; i < 100; i += 1) tokens.add(await getToken());
    expect(state.calls).toBe(1);
    expect(tokens.size).toBe(1);
    // Concurrent callers, too.
    advance(150_000);
    const burst = await Promise.all(Array.from({ length: 100 }, () => getToken()));
    expect(new Set(burst).size).toBe(1);
    expect(state.calls).toBe(2);
  });

  it("renews at least halfway through the time left: a bounded number of provider calls up to expiry", async () => {
    const { provider, state, expiration } = nearExpiryProvider();
    const getToken = createTokenProvider({ region: "us-west-2", credentials: provider });
    const tokens = new Set<string>();
    // 100 calls, 1.9 s apart, all before the credentials expire.
    for (let i = 0; i < 100; i += 1) {
      const token = await getToken();
      tokens.add(token);
      // Every token handed out was signed with credentials valid at that instant.
      expect(decodeToken(token).signedAt.getTime()).toBeLessThan(expiration.getTime());
      advance(1_900);
    }
    // Each renewal at least halves the 200 s left; 1.9 s steps reach the end in log2(200 / 1.9) + 1 renewals.
    const bound = Math.ceil(Math.log2(200 / 1.9)) + 1;
    expect(state.calls).toBeLessThanOrEqual(bound);
    expect(tokens.size).toBeLessThanOrEqual(bound);
    expect(state.calls).toBeGreaterThan(1);
  });

  it("in per-request mode signs every call but asks the provider once", async () => {
    const { provider, state } = nearExpiryProvider();
    const getToken = createTokenProvider({
      region: "us-west-2",
      credentials: provider,
      mode: "per-request",
    });
    for (let i = 0; i < 100; i += 1) await getToken();
    expect(state.calls).toBe(1);
  });

  it("asks again once they have expired, and refuses expired ones with CREDENTIALS_EXPIRED", async () => {
    const { provider, state } = nearExpiryProvider();
    const getToken = createTokenProvider({ region: "us-west-2", credentials: provider });
    await getToken();
    advance(200_000);
    expect((await rejectionOf(getToken())).code).toBe("CREDENTIALS_EXPIRED");
    expect((await rejectionOf(getToken())).code).toBe("CREDENTIALS_EXPIRED");
    expect(state.calls).toBe(3);
  });
});
