/**
 * OpenAI client options that would replace the bearer token or the target are
 * refused with `INVALID_OPTIONS` before anything is sent: by
 * `createSageMakerOpenAIClient`, and so by every client built on it (the
 * model's `configuration`, the Strands adapter's `clientOptions`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sagemakerStrandsModel } from "../../src/adapters/strands/index.js";
import { createSageMakerOpenAIClient } from "../../src/client/index.js";
import { REFUSED_CLIENT_OPTIONS } from "../../src/client/refused-options.js";
import { ChatSageMakerOpenAI } from "../../src/model/index.js";
import { type CaptureServer, startCaptureServer } from "../helpers/capture-server.js";
import { sagemakerError } from "../helpers/error-code.js";
import { TEST_CREDENTIALS } from "../helpers/local-endpoint.js";

let capture: CaptureServer;
beforeAll(async () => {
  capture = await startCaptureServer();
});
afterAll(() => capture.close());

const target = () =>
  ({
    region: "us-west-2",
    endpointName: "ep",
    credentials: { ...TEST_CREDENTIALS },
    baseURL: capture.url,
  }) as const;

// A value of the right kind for each option (what a user would actually pass).
const VALUES: Record<(typeof REFUSED_CLIENT_OPTIONS)[number], unknown> = {
  apiKey: "sk-should-never-be-used",
  adminAPIKey: "sk-admin-should-never-be-used",
  organization: "org-x",
  project: "proj-x",
  webhookSecret: "whsec-x",
  workloadIdentity: { clientId: "x", identityProviderId: "y", subjectTokenProvider: {} },
  credential: { certificate: "x" },
  x509Transport: {},
  provider: { name: "x" },
  dataResidency: "eu",
};

describe("createSageMakerOpenAIClient", () => {
  it.each(REFUSED_CLIENT_OPTIONS)("refuses %s with INVALID_OPTIONS naming it", (option) => {
    for (const value of [VALUES[option], null]) {
      const error = sagemakerError(() =>
        createSageMakerOpenAIClient({ ...target(), [option]: value } as never),
      );
      expect(error.code).toBe("INVALID_OPTIONS");
      expect(error.message).toContain(`option ${option}:`);
    }
  });

  it("names every refused option at once and sends nothing", async () => {
    const error = sagemakerError(() =>
      createSageMakerOpenAIClient({
        ...target(),
        apiKey: "sk-x",
        organization: "org-x",
      } as never),
    );
    expect(error.message).toContain("options apiKey, organization:");
    expect(capture.requests).toHaveLength(0);
  });

  it("accepts the options it passes through (timeout, headers, fetch) and sends the bearer token", async () => {
    const client = createSageMakerOpenAIClient({
      ...target(),
      timeout: 5_000,
      defaultHeaders: { "x-team": "blue" },
    });
    await client.chat.completions.create({
      model: "",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(capture.requests.at(-1)?.headers.authorization).toMatch(/^Bearer sagemaker-api-key-/);
    expect(capture.requests.at(-1)?.headers["x-team"]).toBe("blue");
  });
});

describe("withOptions on the client", () => {
  it.each(["apiKey", "organization", "adminAPIKey", "baseURL"] as const)(
    "refuses %s, which would change the token or the target",
    (option) => {
      const client = createSageMakerOpenAIClient(target());
      const value = option === "baseURL" ? "http://example.com" : "sk-x";
      const error = sagemakerError(() => client.withOptions({ [option]: value }));
      expect(error.code).toBe("INVALID_OPTIONS");
      expect(error.message).toContain(option);
    },
  );
});

describe("clients built on it refuse the same options", () => {
  it.each(["organization", "project", "adminAPIKey", "webhookSecret", "dataResidency"] as const)(
    "ChatSageMakerOpenAI with configuration.%s",
    (option) => {
      const error = sagemakerError(
        () =>
          new ChatSageMakerOpenAI({
            ...target(),
            configuration: { [option]: VALUES[option] } as never,
          }),
      );
      expect(error.code).toBe("INVALID_OPTIONS");
      expect(error.message).toContain(option);
    },
  );

  it.each(["apiKey", "organization", "project", "adminAPIKey", "webhookSecret"] as const)(
    "the Strands adapter with clientOptions.%s",
    (option) => {
      const error = sagemakerError(() =>
        sagemakerStrandsModel({
          ...target(),
          clientOptions: { [option]: VALUES[option] } as never,
        }),
      );
      expect(error.code).toBe("INVALID_OPTIONS");
      expect(error.message).toContain(option);
    },
  );
});
