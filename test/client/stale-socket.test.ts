/**
 * A keep-alive socket the server drops just as the next request arrives (its
 * idle timer fired at that moment) fails that request before any answer. The
 * package's clients send such a request again on another socket, whatever
 * `maxRetries` says; a request that fails on a fresh socket is not sent again.
 * Reproduced deterministically by a loopback server that answers one request
 * per connection and drops the connection when a second one arrives on it.
 */
import { generateText } from "ai";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { createSageMakerOpenAI } from "../../src/adapters/ai-sdk/index.js";
import { createSageMakerOpenAIClient } from "../../src/client/index.js";
import { ChatSageMakerOpenAI, createConnectionPool } from "../../src/model/index.js";
import {
  type KeepAliveAction,
  type KeepAliveServer,
  keepAliveServerForTest,
} from "../helpers/keep-alive-server.js";
import { TEST_CREDENTIALS } from "../helpers/local-endpoint.js";

/** A server that answers the first request of each connection and drops the connection on the next. */
async function oneRequestPerConnection(drop: Exclude<KeepAliveAction, "answer">) {
  return keepAliveServerForTest(({ onConnection }) => (onConnection === 0 ? "answer" : drop));
}

const target = (baseURL: string) =>
  ({
    region: "us-west-2",
    endpointName: "ep",
    credentials: { ...TEST_CREDENTIALS },
    baseURL,
  }) as const;

const ROUNDS = 4;

/** Asserts the run met dropped reused sockets and every call was answered in the end. */
function expectReplayed(keepAlive: KeepAliveServer): void {
  const dropped = keepAlive.log.filter((entry) => entry.action !== "answer");
  // Without a drop the test would prove nothing.
  expect(dropped.length).toBeGreaterThan(0);
  expect(dropped.every((entry) => entry.onConnection > 0)).toBe(true);
  expect(keepAlive.log.filter((entry) => entry.action === "answer")).toHaveLength(ROUNDS);
}

describe("a request that met a stale keep-alive socket is sent again", () => {
  it.each(["reset", "close"] as const)(
    "by the OpenAI client with maxRetries 0 (connection %s)",
    async (drop) => {
      const keepAlive = await oneRequestPerConnection(drop);
      const client = createSageMakerOpenAIClient({ ...target(keepAlive.url), maxRetries: 0 });
      for (let round = 0; round < ROUNDS; round += 1) {
        const reply = await client.chat.completions.create({
          model: "",
          messages: [{ role: "user", content: "hi" }],
        });
        expect(reply.choices[0]?.message.content).toBe("kept alive");
      }
      expectReplayed(keepAlive);
    },
  );

  it("by ChatSageMakerOpenAI with maxRetries 0", async () => {
    const keepAlive = await oneRequestPerConnection("reset");
    const model = new ChatSageMakerOpenAI({ ...target(keepAlive.url), maxRetries: 0 });
    for (let round = 0; round < ROUNDS; round += 1) {
      expect((await model.invoke("hi")).content).toBe("kept alive");
    }
    expectReplayed(keepAlive);
  });

  it("by ChatSageMakerOpenAI on a connection pool (the undici package's fetch)", async () => {
    const keepAlive = await oneRequestPerConnection("reset");
    const pool = createConnectionPool({ maxSockets: 2 });
    try {
      const model = new ChatSageMakerOpenAI({
        ...target(keepAlive.url),
        maxRetries: 0,
        configuration: { fetch: pool.fetch },
      });
      for (let round = 0; round < ROUNDS; round += 1) {
        expect((await model.invoke("hi")).content).toBe("kept alive");
      }
      expectReplayed(keepAlive);
    } finally {
      await pool.close();
    }
  });

  it("by the AI SDK provider with maxRetries 0", async () => {
    const keepAlive = await oneRequestPerConnection("reset");
    const sagemaker = createSageMakerOpenAI(target(keepAlive.url));
    for (let round = 0; round < ROUNDS; round += 1) {
      const { text } = await generateText({ model: sagemaker(""), prompt: "hi", maxRetries: 0 });
      expect(text).toBe("kept alive");
    }
    expectReplayed(keepAlive);
  });
});

describe("a request that fails on a fresh socket is not sent again", () => {
  it("fails with maxRetries 0 after one attempt, and maxRetries still counts", async () => {
    const keepAlive = await keepAliveServerForTest(() => "reset");
    const ask = (maxRetries: number) =>
      createSageMakerOpenAIClient({ ...target(keepAlive.url), maxRetries }).chat.completions.create(
        { model: "", messages: [{ role: "user", content: "hi" }] },
      );
    await expect(ask(0)).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    expect(keepAlive.log).toHaveLength(1);
    await expect(ask(1)).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    expect(keepAlive.log).toHaveLength(3);
  });
});
