/**
 * A client that goes away mid-stream: the endpoint aborts the backend's
 * signal, stops pulling its stream (so a proxy would release its upstream),
 * logs the request, and keeps serving others. A client that goes away while a
 * paced demo model is still generating a complete (non-streamed) reply frees
 * its request the same way.
 */
import { type ClientRequest, request as httpRequest, type IncomingMessage } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { ChatBackend } from "../../src/local/index.js";
import { startLocalEndpoint } from "../../src/local/index.js";
import { mintToken, TEST_CREDENTIALS } from "../helpers/local-endpoint.js";

const state = { pulled: 0, closed: false, aborted: false };
const endless: ChatBackend = {
  async complete(_request, context) {
    context.signal.addEventListener("abort", () => {
      state.aborted = true;
    });
    async function* events(): AsyncGenerator<string> {
      try {
        while (true) {
          state.pulled += 1;
          yield `data: {"n":${state.pulled}}\n\n`;
          await sleep(5);
        }
      } finally {
        state.closed = true;
      }
    }
    return { type: "stream", status: 200, body: events() };
  },
};

let local: Awaited<ReturnType<typeof startLocalEndpoint>>;
let token: string;
beforeAll(async () => {
  local = await startLocalEndpoint({
    credentials: [{ ...TEST_CREDENTIALS }],
    endpoints: {
      ep1: { backend: endless },
      // A minute per token: no reply of this model is complete while a test runs.
      paced: { backend: { type: "demo", chunkDelayMs: 60_000 } },
    },
  });
  token = await mintToken({ region: local.region });
});
afterAll(() => local.close());

/** POSTs a chat request to `endpoint` on a connection of its own; `req.destroy()` is the client leaving. */
function post(
  endpoint: string,
  body: Record<string, unknown>,
  onResponse: (res: IncomingMessage) => void,
): ClientRequest {
  const { hostname, port } = new URL(local.url);
  const req = httpRequest(
    {
      host: hostname,
      port,
      method: "POST",
      path: `/endpoints/${endpoint}/openai/v1/chat/completions`,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      agent: false,
    },
    onResponse,
  );
  req.on("error", () => undefined);
  req.end(JSON.stringify(body));
  return req;
}

it("stops the backend's stream when the client disconnects", async () => {
  await new Promise<void>((resolve) => {
    const body = { stream: true, messages: [{ role: "user", content: "go on forever" }] };
    const req = post("ep1", body, (res) => {
      let events = 0;
      res.on("data", (data: Buffer) => {
        events += data.toString().split("\n\n").length - 1;
        if (events >= 3) {
          req.destroy();
          resolve();
        }
      });
    });
  });
  await vi.waitFor(() => expect(state.closed).toBe(true));
  expect(state.aborted).toBe(true);
  const pulledAtClose = state.pulled;
  await sleep(50);
  expect(state.pulled).toBe(pulledAtClose);
  await vi.waitFor(() =>
    expect(local.requests.at(-1)).toMatchObject({ status: 200, stream: true }),
  );
});

it("answers a non-streaming request only after its generation, and frees it when the client leaves", async () => {
  const messages = [{ role: "user", content: "What does the demo model say?" }];
  await local.idle();
  const logged = local.requests.length;
  let answered = false;
  const complete = post("paced", { messages }, () => {
    answered = true;
  });
  let received = "";
  const streamed = post("paced", { messages, stream: true }, (res) => {
    res.on("data", (data: Buffer) => {
      received += data.toString();
    });
  });
  await vi.waitFor(() => expect(received).toContain('"role":"assistant"'), { timeout: 10_000 });
  // The same reply streamed has begun; complete, it waits for every token (a minute each).
  expect(answered).toBe(false);
  complete.destroy();
  streamed.destroy();
  await local.idle();
  const entries = local.requests.slice(logged);
  expect(entries).toHaveLength(2);
  expect(entries).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ endpoint: "paced", stream: false, status: 0 }),
      expect.objectContaining({ endpoint: "paced", stream: true, status: 200 }),
    ]),
  );
});
