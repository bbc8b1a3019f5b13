/**
 * The model never reveals a bearer token or an AWS secret key: not through
 * `JSON.stringify`, LangChain's `toJSON` serialisation, or `util.inspect`,
 * before or after it has made requests, nor through its `bindTools` copies.
 */
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenProvider } from "../../src/auth/index.js";
import type { LocalEndpoint } from "../../src/local/index.js";
import type { ChatSageMakerOpenAI } from "../../src/model/index.js";
import { modelFor, startDemoEndpoint, TEST_CREDENTIALS } from "./model-helpers.js";

let local: LocalEndpoint;
beforeAll(async () => {
  local = await startDemoEndpoint();
});
afterAll(() => local.close());

const SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENxyz0123456789abcdefghijklmnop";

function renderings(model: ChatSageMakerOpenAI): string[] {
  return [
    JSON.stringify(model),
    JSON.stringify(model.toJSON()),
    inspect(model, { depth: Number.POSITIVE_INFINITY, showHidden: false }),
    inspect(model, { depth: 4, getters: true }),
    String(model),
  ];
}

describe("secrets", () => {
  it("no token or secret key in any rendering, before and after requests", async () => {
    const tokens: string[] = [];
    const inner = createTokenProvider({ region: local.region, credentials: TEST_CREDENTIALS });
    const capturing = Object.assign(
      async () => {
        const token = await inner();
        tokens.push(token);
        return token;
      },
      {
        toJSON: () => "[provider]",
        [Symbol.for("nodejs.util.inspect.custom")]: () => "[provider]",
      },
    );
    const withProvider = modelFor(local, { tokenProvider: capturing });
    const withCredentials = modelFor(local, {
      credentials: { ...TEST_CREDENTIALS },
      configuration: { defaultHeaders: { "x-trace": "1" } },
    });
    const models = [withProvider, withCredentials];
    const bound = models.map((m) =>
      m.bindTools([{ type: "function", function: { name: "f", parameters: { type: "object" } } }]),
    ) as ChatSageMakerOpenAI[];
    for (const model of [...models, ...bound]) {
      for (const text of renderings(model))
        expect(text).not.toContain(TEST_CREDENTIALS.secretAccessKey);
    }
    await withProvider.invoke("hi");
    await withCredentials.invoke("hi");
    await bound[0]?.invoke("hi");
    expect(tokens.length).toBeGreaterThan(0);
    for (const model of [...models, ...bound]) {
      for (const text of renderings(model)) {
        expect(text).not.toContain(TEST_CREDENTIALS.secretAccessKey);
        for (const token of tokens) expect(text).not.toContain(token.slice(18, 80));
        expect(text).not.toMatch(/sagemaker-api-key-(?!\[REDACTED\])[A-Za-z0-9+/=]/);
      }
    }
  });

  it("drops session tokens and client options from the serialised form, keeps the target", () => {
    const model = modelFor(local, {
      endpointName: "multi",
      inferenceComponentName: "general",
      credentials: { ...TEST_CREDENTIALS, sessionToken: SESSION_TOKEN },
      configuration: { defaultHeaders: { "x-team": "blue" } },
      temperature: 0.2,
    });
    const json = model.toJSON() as { id: string[]; kwargs: Record<string, unknown> };
    expect(json.id.at(-1)).toBe("ChatSageMakerOpenAI");
    expect(json.kwargs).toMatchObject({
      endpoint_name: "multi",
      inference_component_name: "general",
      region: "us-west-2",
      temperature: 0.2,
    });
    const text = JSON.stringify(json);
    for (const secret of [SESSION_TOKEN, TEST_CREDENTIALS.secretAccessKey]) {
      expect(text).not.toContain(secret);
      expect(inspect(model, { depth: Number.POSITIVE_INFINITY })).not.toContain(secret);
    }
    expect(json.kwargs).not.toHaveProperty("configuration");
    expect(json.kwargs).not.toHaveProperty("credentials");
  });
});
