/**
 * `createSageMakerOpenAIClient` when credentials never come: the credentials
 * time limit ends the call with the typed error before any request, the next
 * call asks the provider again, and the option is checked at construction, as
 * are `timeout`, `maxRetries` and a missing `endpointName`.
 */
import { describe, expect, it } from "vitest";
import { CredentialsError } from "../../src/auth/index.js";
import { createSageMakerOpenAIClient } from "../../src/client/index.js";
import { captureServerForTest } from "../helpers/capture-server.js";
import { silentCredentials } from "../helpers/credentials.js";
import { sagemakerError } from "../helpers/error-code.js";

describe("createSageMakerOpenAIClient credentialsTimeoutMs", () => {
  it("ends a call whose credentials do not come with CREDENTIALS_UNAVAILABLE, before any request", async () => {
    const server = await captureServerForTest();
    const silent = silentCredentials();
    const client = createSageMakerOpenAIClient({
      region: "us-west-2",
      endpointName: "ep",
      baseURL: server.url,
      maxRetries: 0,
      credentialsTimeoutMs: 30,
      credentials: silent.provider,
    });
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const error = await client.chat.completions
        .create({ model: "", messages: [{ role: "user", content: "hi" }] })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CredentialsError);
      expect(error).toMatchObject({ code: "CREDENTIALS_UNAVAILABLE" });
      expect((error as Error).message).toContain("did not answer within 30 ms");
      expect(silent.calls).toBe(attempt);
    }
    expect(server.requests).toHaveLength(0);
  });

  it("is checked at construction, and refused next to tokenProvider", () => {
    const base = { region: "us-west-2", endpointName: "ep" };
    const outOfRange = sagemakerError(() =>
      createSageMakerOpenAIClient({ ...base, credentialsTimeoutMs: 3_600_001 }),
    );
    expect(outOfRange.code).toBe("INVALID_OPTIONS");
    expect(outOfRange.message).toContain(
      "credentialsTimeoutMs must be a whole number of milliseconds from 1 to 3600000",
    );
    const withProvider = sagemakerError(() =>
      createSageMakerOpenAIClient({
        ...base,
        tokenProvider: async () => "sagemaker-api-key-x",
        credentialsTimeoutMs: 1_000,
      }),
    );
    expect(withProvider.code).toBe("INVALID_OPTIONS");
  });

  it("refuses a timeout or maxRetries out of range, naming the option and the range", () => {
    const base = { region: "us-west-2", endpointName: "ep" };
    for (const [extra, text] of [
      [
        { timeout: -1 },
        "timeout must be a whole number of milliseconds from 1 to 2147483647; got -1",
      ],
      [{ timeout: 2 ** 31 }, "timeout must be a whole number of milliseconds from 1 to 2147483647"],
      [{ maxRetries: 1e9 }, "maxRetries must be a whole number from 0 to 100; got 1000000000"],
      [{ maxRetries: -1 }, "maxRetries must be a whole number from 0 to 100"],
    ] as const) {
      const error = sagemakerError(() => createSageMakerOpenAIClient({ ...base, ...extra }));
      expect(error.code).toBe("INVALID_OPTIONS");
      expect(error.message).toContain(text);
    }
    expect(() =>
      createSageMakerOpenAIClient({ ...base, timeout: 1, maxRetries: 100 }),
    ).not.toThrow();
  });

  it("says that a missing endpointName is missing", () => {
    const error = sagemakerError(() =>
      createSageMakerOpenAIClient({ region: "us-west-2" } as never),
    );
    expect(error.code).toBe("INVALID_ENDPOINT_NAME");
    expect(error.message).toContain("endpointName is missing");
  });
});
