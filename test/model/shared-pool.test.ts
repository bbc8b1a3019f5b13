/**
 * Several inference components, one pool: `createSageMakerChatModels` gives
 * each component its own model, all sharing one token provider and one
 * keep-alive pool, so the sockets the endpoint sees stay within `maxSockets`
 * however many requests the models run at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenProvider } from "../../src/auth/index.js";
import type { LocalEndpoint } from "../../src/local/index.js";
import { ChatSageMakerOpenAI, createSageMakerChatModels } from "../../src/model/index.js";
import { collect, startDemoEndpoint, TEST_CREDENTIALS } from "./model-helpers.js";

let local: LocalEndpoint;
beforeAll(async () => {
  local = await startDemoEndpoint();
});
afterAll(() => local.close());

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe("createSageMakerChatModels", () => {
  it("N models run many requests over at most maxSockets connections", async () => {
    const inner = createTokenProvider({ region: local.region, credentials: TEST_CREDENTIALS });
    let providerCalls = 0;
    const { models, close, pool } = createSageMakerChatModels({
      region: local.region,
      endpointName: "multi",
      baseURL: local.url,
      tokenProvider: async () => {
        providerCalls += 1;
        return inner();
      },
      maxSockets: 3,
      components: {
        general: {},
        thinker: { inferenceComponentName: "think" },
        hermes: { toolCallParser: "hermes" },
      },
    });
    try {
      expect(pool.maxSockets).toBe(3);
      for (const model of Object.values(models)) expect(model).toBeInstanceOf(ChatSageMakerOpenAI);
      const before = local.connections.opened;
      const logFrom = local.requests.length;
      const work: Array<Promise<unknown>> = [];
      for (let i = 0; i < 12; i++) {
        work.push(models.general.invoke(`g${i}`));
        work.push(models.thinker.invoke(`t${i}`));
        work.push(models.hermes.stream(`h${i}`).then(collect));
      }
      const results = await Promise.allSettled(work);
      expect(results.filter((r) => r.status === "rejected")).toEqual([]);
      const opened = local.connections.opened - before;
      expect(opened).toBeGreaterThan(0);
      expect(opened).toBeLessThanOrEqual(3);
      expect(local.connections.open).toBeLessThanOrEqual(3);
      expect(providerCalls).toBe(36);
      const components = new Set(local.requests.slice(logFrom).map((r) => r.component));
      expect(components).toEqual(new Set(["general", "think", "hermes"]));
    } finally {
      await close();
    }
  });

  it("without a shared pool the same load opens more sockets (the check above can fail)", async () => {
    const models = ["general", "think", "hermes"].map(
      (ic) =>
        new ChatSageMakerOpenAI({
          region: local.region,
          endpointName: "multi",
          inferenceComponentName: ic,
          baseURL: local.url,
          credentials: TEST_CREDENTIALS,
        }),
    );
    const before = local.connections.opened;
    await Promise.all(
      models.flatMap((m) => Array.from({ length: 12 }, (_, i) => m.invoke(`x${i}`))),
    );
    expect(local.connections.opened - before).toBeGreaterThan(3);
  });

  it("shares one token provider it creates, with per-component settings", async () => {
    const { models, tokenProvider, close } = createSageMakerChatModels({
      region: local.region,
      endpointName: "multi",
      baseURL: local.url,
      credentials: TEST_CREDENTIALS,
      components: { general: { temperature: 0 }, "think-old": {} },
    });
    try {
      expect(typeof tokenProvider).toBe("function");
      expect(models.general.temperature).toBe(0);
      expect(models["think-old"].inferenceComponentName).toBe("think-old");
      const [a, b] = await Promise.all([
        models.general.invoke("a"),
        models["think-old"].invoke("b"),
      ]);
      expect(a.content).toContain("You asked");
      expect(b.additional_kwargs.reasoning_content).toMatch(/The user asks/);
    } finally {
      await close();
    }
  });

  it("rejects unusable options up front", () => {
    const base = { region: "us-west-2", endpointName: "multi", credentials: TEST_CREDENTIALS };
    expect(codeOf(() => createSageMakerChatModels({ ...base, components: {} }))).toBe(
      "INVALID_OPTIONS",
    );
    expect(
      codeOf(() => createSageMakerChatModels({ ...base, components: { "bad name": {} } })),
    ).toBe("INVALID_INFERENCE_COMPONENT_NAME");
    expect(
      codeOf(() => createSageMakerChatModels({ ...base, maxSockets: 0, components: { a: {} } })),
    ).toBe("INVALID_OPTIONS");
    expect(
      codeOf(() =>
        createSageMakerChatModels({
          ...base,
          components: { a: { configuration: { fetch: globalThis.fetch } } },
        }),
      ),
    ).toBe("INVALID_OPTIONS");
    expect(
      codeOf(() =>
        createSageMakerChatModels({
          ...base,
          tokenProvider: async () => "t",
          components: { a: {} },
        }),
      ),
    ).toBe("INVALID_OPTIONS");
  });
});
