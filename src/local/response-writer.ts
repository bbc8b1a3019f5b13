/**
 * Writes a backend's response to the client, applying the stream faults that
 * act on the bytes: cut the connection after K chunks, slip in an SSE event
 * that is not JSON, trickle the body slowly. Respects backpressure, and stops
 * pulling from the backend as soon as the client goes away.
 */
import type { ServerResponse } from "node:http";
import type { BackendResponse } from "./backend.js";
import { waitForClient } from "./wait-for-client.js";

/** The faults that change how a body is written. */
export interface WriteFaults {
  cutStreamAfterChunks?: number;
  malformedSse?: boolean;
  trickleBytesPerSecond?: number;
}

/** Whether the client went away, and a signal for waits that should end when it does. */
export interface AbortState {
  readonly aborted: boolean;
  readonly signal: AbortSignal;
}

/** How writing ended: the whole body, a deliberate cut, or the client went away. */
export type WriteOutcome = "complete" | "cut" | "aborted";

/** An event whose data is not JSON: what a truncated or corrupted proxy would deliver. */
const MALFORMED_EVENT = 'data: {"id":"chatcmpl-malformed","choices":[{"delta":{"content":"\n\n';

/** Writes `response` with `headers` added; never throws for a client that disappeared. */
export async function writeBackendResponse(
  res: ServerResponse,
  response: BackendResponse,
  headers: Record<string, string>,
  faults: WriteFaults,
  abort: AbortState,
): Promise<WriteOutcome> {
  if (response.type === "json") {
    const body = JSON.stringify(response.body);
    if (faults.cutStreamAfterChunks === 0) return cut(res);
    res.writeHead(response.status, {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
      ...response.headers,
      ...headers,
    });
    if (faults.trickleBytesPerSecond === undefined) {
      res.end(body);
      return "complete";
    }
    const bytes = Buffer.from(body);
    if (!(await trickle(res, bytes, faults.trickleBytesPerSecond, abort))) return "aborted";
    res.end();
    return "complete";
  }

  res.writeHead(response.status, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    ...response.headers,
    ...headers,
  });
  res.flushHeaders();
  let written = 0;
  const iterator = response.body[Symbol.asyncIterator]();
  try {
    while (true) {
      if (faults.cutStreamAfterChunks !== undefined && written >= faults.cutStreamAfterChunks) {
        return cut(res);
      }
      const next = await iterator.next();
      if (abort.aborted) return "aborted";
      if (next.done === true) break;
      const piece = typeof next.value === "string" ? Buffer.from(next.value) : next.value;
      if (!(await send(res, piece, faults.trickleBytesPerSecond, abort))) return "aborted";
      written += 1;
      if (written === 1 && faults.malformedSse === true) {
        if (!(await send(res, Buffer.from(MALFORMED_EVENT), undefined, abort))) return "aborted";
      }
    }
  } catch (error) {
    // A backend that fails mid-stream: vLLM sends the error as one more event, then [DONE].
    const message = error instanceof Error ? error.message : "backend stream failed";
    const event = { error: { message, type: "InternalServerError", param: null, code: 500 } };
    if (!res.destroyed) res.write(`data: ${JSON.stringify(event)}\n\ndata: [DONE]\n\n`);
  } finally {
    // Lets the backend release what it holds (an upstream connection) when we stop early.
    void iterator.return?.()?.catch(() => undefined);
  }
  res.end();
  return "complete";
}

/**
 * Drops the connection mid-response, as a crashed container or a dropped proxy
 * would. The chunks written so far are flushed first (Node corks a response's
 * writes until the next tick, and destroying a socket discards what is still
 * queued), so the client gets exactly K chunks and then the close. A plain
 * destroy rather than a TCP RST, which would make the kernel discard them too.
 */
async function cut(res: ServerResponse): Promise<WriteOutcome> {
  const socket = res.socket;
  if (socket !== null && !socket.destroyed) {
    await new Promise((resolve) => setImmediate(resolve));
    if (socket.writableLength > 0) {
      await new Promise((resolve) => {
        socket.once("drain", resolve);
        socket.once("close", resolve);
      });
    }
    socket.destroy();
  }
  res.destroy();
  return "cut";
}

/** Writes one piece, trickled if asked; false when the client is gone. */
async function send(
  res: ServerResponse,
  piece: Uint8Array,
  trickleRate: number | undefined,
  abort: AbortState,
): Promise<boolean> {
  if (trickleRate !== undefined) return trickle(res, piece, trickleRate, abort);
  if (res.destroyed) return false;
  if (!res.write(piece)) return drained(res);
  return !abort.aborted;
}

/** Writes `data` at about `bytesPerSecond`, in ticks of at most 100 ms. */
async function trickle(
  res: ServerResponse,
  data: Uint8Array,
  bytesPerSecond: number,
  abort: AbortState,
): Promise<boolean> {
  const perTick = Math.max(1, Math.floor(bytesPerSecond / 10));
  const tickMs = (perTick / bytesPerSecond) * 1000;
  for (let offset = 0; offset < data.length; offset += perTick) {
    if (offset > 0 && !(await waitForClient(tickMs, abort.signal))) return false;
    if (res.destroyed || abort.aborted) return false;
    res.write(data.subarray(offset, offset + perTick));
  }
  return true;
}

/** Resolves true on `drain`, false if the connection closes first. */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = () => {
      res.off("close", onClose);
      resolve(true);
    };
    const onClose = () => {
      res.off("drain", onDrain);
      resolve(false);
    };
    res.once("drain", onDrain);
    res.once("close", onClose);
  });
}
