/**
 * A client that goes away mid-stream: the endpoint aborts the backend's
 * signal, stops pulling its stream (so a proxy would release its upstream),
 * logs the request, and keeps serving others.
 */
import { request as httpRequest } from "node:http";
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
    endpoints: { ep1: { backend: endless } },
  });
  token = await mintToken({ region: local.region });
});
afterAll(() => local.close());

it("stops the backend's stream when the client disconnects", async () => {
  const { hostname, port } = new URL(local.url);
  await new Promise<void>((resolve) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        method: "POST",
        path: "/endpoints/ep1/openai/v1/chat/completions",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      },
      (res) => {
        let events = 0;
        res.on("data", (data: Buffer) => {
          events += data.toString().split("\n\n").length - 1;
          if (events >= 3) {
            req.destroy();
            resolve();
          }
        });
      },
    );
    req.on("error", () => undefined);
    req.end(
      JSON.stringify({ stream: true, messages: [{ role: "user", content: "go on forever" }] }),
    );
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
