/**
 * A tiny HTTP server on loopback that records every request (method, path,
 * headers, body, client port) and answers with whatever the test's responder
 * returns. Generic on purpose: it stands in for SageMaker in client tests and
 * can serve as a LangSmith (or any other) capture endpoint.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { onTestFinished } from "vitest";

/** One request as the server received it. */
export interface CapturedRequest {
  method: string;
  /** Path and query, as sent (e.g. `/endpoints/ep/openai/v1/chat/completions`). */
  path: string;
  /** Header names in lower case. */
  headers: IncomingHttpHeaders;
  /** The raw body as UTF-8 text. */
  body: string;
  /** The client's source port: equal ports across requests mean one reused connection. */
  remotePort: number;
}

/** What to answer. A non-string body is sent as JSON. */
export interface CaptureReply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Decides the reply to the `index`-th request (0-based). */
export type CaptureResponder = (
  request: CapturedRequest,
  index: number,
) => CaptureReply | Promise<CaptureReply>;

/** A running capture server. */
export interface CaptureServer {
  /** Origin, e.g. `http://127.0.0.1:43123`. */
  url: string;
  /** Every request received so far, in arrival order. */
  requests: CapturedRequest[];
  /** Stops listening and drops open keep-alive connections. */
  close(): Promise<void>;
}

/** Starts a capture server on 127.0.0.1 with an ephemeral port. Default reply: `200 {}`. */
export async function startCaptureServer(
  respond: CaptureResponder = () => ({ status: 200, body: {} }),
): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const captured: CapturedRequest = {
      method: req.method ?? "",
      path: req.url ?? "",
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
      remotePort: req.socket.remotePort ?? 0,
    };
    const index = requests.push(captured) - 1;
    try {
      const reply = await respond(captured, index);
      const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status ?? 200, {
        "content-type": typeof reply.body === "string" ? "text/plain" : "application/json",
        ...reply.headers,
      });
      res.end(text);
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`capture server responder failed: ${String(error)}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** {@link startCaptureServer}, closed when the current test finishes (call it inside a test). */
export async function captureServerForTest(respond?: CaptureResponder): Promise<CaptureServer> {
  const server = await startCaptureServer(respond);
  onTestFinished(() => server.close());
  return server;
}

/** The smallest non-streamed chat completion a client accepts, answering `content`. */
export function chatCompletionBody(content: string): Record<string, unknown> {
  return {
    id: "x",
    object: "chat.completion",
    created: 1,
    model: "m",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
  };
}
