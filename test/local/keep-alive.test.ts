/**
 * The local endpoint does not reset a keep-alive connection that holds a
 * request it has already received. Node closes an idle keep-alive socket when
 * its timer fires, and the timer can fire in the same loop turn as the next
 * request's bytes arrive: after the event loop was blocked (the scripts test
 * runs python3 synchronously in the process that also hosts the endpoint), or
 * when a client reuses the socket at that moment. The client then gets
 * ECONNRESET for a request the server had in hand.
 *
 * Reproduced deterministically: a client in a worker thread (its own event
 * loop) reuses its connection while this thread, which runs the endpoint, is
 * blocked past the endpoint's keep-alive timeout; the request's bytes are in
 * the kernel when the endpoint's timer fires.
 */
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { LocalEndpoint } from "../../src/local/index.js";
import { CHAT_BODY, mintToken, startDemoModelsEndpoint } from "../helpers/local-endpoint.js";

let local: LocalEndpoint;
beforeAll(async () => {
  local = await startDemoModelsEndpoint();
});
afterAll(() => local.close());

// The worker: one raw keep-alive connection; the first request, then (once told) the second.
const CLIENT = `
const { parentPort, workerData } = require("node:worker_threads");
const net = require("node:net");
const { port, request, go } = workerData;
const flag = new Int32Array(go);
const socket = net.connect(port, "127.0.0.1");
let text = "";
let answers = 0;
socket.on("data", (chunk) => {
  text += chunk.toString("latin1");
  const end = text.indexOf("\\r\\n\\r\\n");
  if (end === -1) return;
  const head = text.slice(0, end);
  const length = Number(/content-length: *(\\d+)/i.exec(head)?.[1] ?? 0);
  if (text.length < end + 4 + length) return;
  text = text.slice(end + 4 + length);
  answers += 1;
  if (answers === 1) {
    parentPort.postMessage({ answered: head });
    // Wait until the main thread is blocked, then reuse the connection.
    Atomics.wait(flag, 0, 0);
    socket.write(request);
  } else {
    parentPort.postMessage({ second: head.split("\\r\\n")[0] });
    socket.end();
  }
});
socket.on("error", (error) => parentPort.postMessage({ second: error.code }));
socket.on("close", () => parentPort.postMessage({ second: "closed" }));
socket.write(request);
`;

it("serves a request that arrived as its keep-alive timer fired, instead of resetting it", async () => {
  const token = await mintToken();
  const path = new URL(`${local.baseURL("demo")}/chat/completions`).pathname;
  const request =
    `POST ${path} HTTP/1.1\r\nhost: ${new URL(local.url).host}\r\nauthorization: Bearer ${token}\r\n` +
    `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(CHAT_BODY)}\r\n` +
    `connection: keep-alive\r\n\r\n${CHAT_BODY}`;
  const go = new SharedArrayBuffer(4);
  const worker = new Worker(CLIENT, {
    eval: true,
    workerData: { port: local.port, request, go },
  });
  try {
    const second = await new Promise<string>((resolve, reject) => {
      worker.on("error", reject);
      worker.on("message", (message: { answered?: string; second?: string }) => {
        if (message.second !== undefined) {
          resolve(message.second);
          return;
        }
        if (message.answered === undefined) return;
        expect(message.answered).toMatch(/^HTTP\/1\.1 200 /);
        // Node closes idle sockets at the advertised timeout plus a buffer of at most a second.
        const advertised = Number(/keep-alive: *timeout=(\d+)/i.exec(message.answered)?.[1]);
        expect(advertised).toBeGreaterThan(0);
        const flag = new Int32Array(go);
        Atomics.store(flag, 0, 1);
        Atomics.notify(flag, 0);
        // Block this thread (and the endpoint) past the keep-alive timeout; the worker writes meanwhile.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, (advertised + 2) * 1000);
      });
    });
    expect(second).toBe("HTTP/1.1 200 OK");
  } finally {
    await worker.terminate();
  }
}, 20_000);
