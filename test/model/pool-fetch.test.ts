/**
 * The shared pool's `fetch` (undici's `request` API under the OpenAI SDK, src/model/lean-fetch.ts),
 * over real HTTP against the local endpoint: answers, error bodies, aborts and streams left
 * early behave as with the standard `fetch`, and every connection goes back to the pool.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalEndpoint } from "../../src/local/index.js";
import { createSageMakerChatModels, SageMakerModelError } from "../../src/model/index.js";
import { collect, startDemoEndpoint, TEST_CREDENTIALS } from "./model-helpers.js";

let local: LocalEndpoint;
beforeAll(async () => {
  local = await startDemoEndpoint();
});
afterAll(() => local.close());

/** One model on the pool, with a single socket so a connection not given back blocks the next call. */
function oneSocketModel() {
  const { models, close, pool } = createSageMakerChatModels({
    region: local.region,
    endpointName: "multi",
    baseURL: local.url,
    credentials: TEST_CREDENTIALS,
    maxSockets: 1,
    maxRetries: 0,
    components: { general: {} },
  });
  return { model: models.general, close, pool };
}

describe("the pool's fetch", () => {
  it("answers plain and streamed calls as the standard fetch does", async () => {
    const { model, close } = oneSocketModel();
    try {
      const plain = await model.invoke("Hello there");
      const streamed = await collect(await model.stream("Hello there"));
      expect(plain.text.length).toBeGreaterThan(0);
      expect(streamed.length).toBeGreaterThan(1);
      expect(streamed.map((chunk) => chunk.text).join("")).toBe(plain.text);
    } finally {
      await close();
    }
  });

  it("keeps an error body's text and the status in the model's typed error", async () => {
    const { model, close } = oneSocketModel();
    try {
      local.injectFault({
        endpoint: "multi",
        component: "general",
        status: 424,
        message: "the container said no",
      });
      const failure = await model.invoke("Hello").catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(SageMakerModelError);
      expect(failure).toMatchObject({ status: 424 });
      expect(String((failure as Error).message)).toContain("the container said no");
      // The socket went back: the next call on the single-socket pool goes through.
      expect((await model.invoke("Hello again")).text.length).toBeGreaterThan(0);
    } finally {
      await close();
    }
  });

  it("gives the connection back when a stream is left early or aborted", async () => {
    const { model, close } = oneSocketModel();
    try {
      for await (const _ of await model.stream("Tell me a long story")) break;
      const controller = new AbortController();
      const stream = await model.stream("Tell me a long story", { signal: controller.signal });
      const aborted = (async () => {
        for await (const _ of stream) controller.abort();
      })();
      await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
      // Both sockets were released, so the single-socket pool still answers.
      expect((await model.invoke("Still there?")).text.length).toBeGreaterThan(0);
    } finally {
      await close();
    }
  });
});
