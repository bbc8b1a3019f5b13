/**
 * A minimal HTTP/1.1 keep-alive server on loopback, written over `net` so a
 * test chooses exactly when a connection dies: for each request it is asked
 * whether to answer it (a chat completion, the connection kept alive) or to
 * drop the connection as soon as the request's head has arrived, unanswered,
 * as a server whose idle timer fired at that moment would: with a TCP reset
 * (`"reset"`) or a plain close (`"close"`).
 */

import type { AddressInfo } from "node:net";
import { createServer, type Socket } from "node:net";
import { onTestFinished } from "vitest";
import { chatCompletionBody } from "./capture-server.js";

/** What to do with one request. */
export type KeepAliveAction = "answer" | "reset" | "close";

/** Which request it is: the connection's number (from 0) and the request's number on it (from 0). */
export interface KeepAliveRequest {
  connection: number;
  onConnection: number;
}

/** A running keep-alive server. */
export interface KeepAliveServer {
  /** Origin, e.g. `http://127.0.0.1:43123`. */
  url: string;
  /** Every request seen, with what was done to it, in arrival order. */
  log: Array<KeepAliveRequest & { action: KeepAliveAction }>;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

const HEAD_END = "\r\n\r\n";

/** Starts the server; `decide` picks the action for each request (default: answer). */
export async function startKeepAliveServer(
  decide: (request: KeepAliveRequest) => KeepAliveAction = () => "answer",
): Promise<KeepAliveServer> {
  const log: KeepAliveServer["log"] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    const connection = connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {
      // A client that goes away is not the test's concern.
    });
    let onConnection = 0;
    let buffer = Buffer.alloc(0);
    let bodyLeft: number | undefined;
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (bodyLeft === undefined) {
          const end = buffer.indexOf(HEAD_END);
          if (end === -1) return;
          const head = buffer.subarray(0, end).toString("latin1");
          buffer = buffer.subarray(end + HEAD_END.length);
          const request = { connection, onConnection: onConnection++ };
          const action = decide(request);
          log.push({ ...request, action });
          if (action === "reset") {
            socket.resetAndDestroy();
            return;
          }
          if (action === "close") {
            socket.destroy();
            return;
          }
          bodyLeft = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        }
        if (buffer.length < bodyLeft) return;
        buffer = buffer.subarray(bodyLeft);
        bodyLeft = undefined;
        const body = JSON.stringify(chatCompletionBody("kept alive"));
        socket.write(
          "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n" +
            `content-length: ${Buffer.byteLength(body)}\r\nconnection: keep-alive\r\n\r\n${body}`,
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** {@link startKeepAliveServer}, closed when the current test finishes (call it inside a test). */
export async function keepAliveServerForTest(
  decide?: (request: KeepAliveRequest) => KeepAliveAction,
): Promise<KeepAliveServer> {
  const server = await startKeepAliveServer(decide);
  onTestFinished(() => server.close());
  return server;
}
