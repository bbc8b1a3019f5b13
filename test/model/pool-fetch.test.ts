/**
 * The shared pool's `fetch` (undici's `request` API under the OpenAI SDK, src/model/lean-fetch.ts),
 * over real HTTP against the local endpoint: answers, error bodies, aborts and streams left
 * early behave as with the standard `fetch`, and every connection goes back to the pool.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
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

/**
 * A streaming server that sends a whole completion and `[DONE]`, then holds the response open
 * until `release()`: a body whose end arrives after the SDK stopped reading at `[DONE]`.
 */
async function lateEndingStreamServer() {
  const held: ServerResponse[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const chunk = (delta: Record<string, unknown>, finish: string | null) =>
        `data: ${JSON.stringify({
          id: "c1",
          object: "chat.completion.chunk",
          created: 1,
          model: "m",
          choices: [{ index: 0, delta, finish_reason: finish }],
        })}\n\n`;
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(chunk({ role: "assistant", content: "late" }, null));
      res.write(chunk({}, "stop"));
      res.write("data: [DONE]\n\n");
      held.push(res);
    });
  });
  server.on("connection", () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get connections() {
      return connections;
    },
    release: () => {
      for (const res of held.splice(0)) res.end();
    },
  };
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

  it("keeps the socket of a completed stream whose body ends after [DONE] (no abort)", async () => {
    const server = await lateEndingStreamServer();
    const { models, close } = createSageMakerChatModels({
      region: "us-west-2",
      endpointName: "ep",
      baseURL: server.url,
      credentials: TEST_CREDENTIALS,
      maxSockets: 1,
      maxRetries: 0,
      components: { general: {} },
    });
    try {
      for (let i = 0; i < 3; i++) {
        const chunks = await collect(await models.general.stream("Hello"));
        expect(chunks.map((chunk) => chunk.text).join("")).toBe("late");
        // The SDK has stopped at [DONE]; only now does the server end the response.
        server.release();
      }
      // Each stream's socket was read to the end and reused, not aborted and replaced.
      expect(server.connections).toBe(1);
    } finally {
      await close();
    }
  });
});
