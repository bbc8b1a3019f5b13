/**
 * What one request to the local endpoint goes through, in order: the
 * connection cap (503), the `Host` check (403), route match (control routes
 * branch off here; 404), size check by Content-Length (413), bearer token
 * verification (401), the key's allowed endpoints (403), endpoint/component
 * resolution (400 ValidationError), the content type (415), injected faults,
 * body reading against the shared body budget (503) with a running size count
 * (413) and shape check (400), and finally the backend, whose response is
 * written back unchanged.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AccessLog, AccessLogEntry } from "./access-log.js";
import type { BackendContext, BackendResponse, ChatBackend } from "./backend.js";
import type { BodyBudget, BodyShare } from "./body-budget.js";
import { handleControl } from "./control.js";
import { type JsonErrorResponse, sageMakerError, vllmError } from "./error-bodies.js";
import { type FaultSpec, type FaultTable, faultResponse } from "./faults.js";
import type { HostCheck } from "./host-check.js";
import { describeRefusal, type RefusalReason, refusalStatus, refusalType } from "./refusals.js";
import {
  bodyBufferFull,
  isJsonContentType,
  parseChatRequest,
  readBody,
  tooLarge,
  unsupportedMediaType,
} from "./request-body.js";
import { type AbortState, writeBackendResponse } from "./response-writer.js";
import { type EndpointTarget, matchRoute, resolveTarget } from "./routes.js";
import type { TokenVerifier } from "./token-verifier.js";
import { waitForClient } from "./wait-for-client.js";

/** What the endpoint built at start and every request reads: targets, keys, faults, the log. */
export interface ServerState {
  endpoints: Map<string, EndpointTarget>;
  allowed: Map<string, ReadonlySet<string> | undefined>;
  verifier: TokenVerifier;
  faults: FaultTable;
  log: AccessLog;
  maxBodyBytes: number;
  /** Request body bytes held by all requests, against `maxBufferedBodyBytes`. */
  budget: BodyBudget;
  /** The `Host`/`Origin` rule; replaced once the port is known. */
  hostCheck: HostCheck;
  /** Connections opened past `maxConnections`: their requests get 503 and the connection closes. */
  overCapacity: WeakSet<object>;
  /** Requests received and not yet ended. */
  inFlight: InFlight;
  clock: () => number;
  addFault(spec: FaultSpec): number;
}

/** Answers one request: control routes, refusals, faults, or the backend's response. */
export async function handle(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = performance.now();
  const requestId = randomUUID();
  // The endpoint's clock, not the host's, so clients can detect and correct skew from it.
  res.setHeader("date", new Date(state.clock()).toUTCString());
  const rawUrl = req.url ?? "";
  const queryAt = rawUrl.indexOf("?");
  const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const route = matchRoute(req.method, path);
  const entry: AccessLogEntry = {
    time: new Date(state.clock()).toISOString(),
    method: req.method ?? "",
    path,
    endpoint: route.kind === "chat" ? route.endpoint : null,
    component: route.kind === "chat" ? (route.component ?? null) : null,
    status: 0,
    accessKeyId: null,
    latencyMs: 0,
    stream: false,
    requestId,
  };
  const abort = new LazyAbort();
  const share: BodyShare = state.budget.share();
  state.inFlight.start();
  res.on("close", () => {
    // The body and what was parsed from it live until the response ends.
    share.release();
    if (!res.writableFinished) abort.abort();
    entry.status = res.headersSent ? res.statusCode : 0;
    entry.latencyMs = Math.round((performance.now() - started) * 100) / 100;
    if (route.kind !== "control") state.log.add(entry);
    state.inFlight.end();
  });

  if (state.overCapacity.has(req.socket)) {
    entry.reason = "TOO_MANY_CONNECTIONS";
    send(res, tooManyConnections(), requestId, true);
    return;
  }
  if (!state.hostCheck.hostAllowed(req.headers.host)) {
    entry.reason = "HOST_NOT_ALLOWED";
    send(res, hostNotAllowed(req.headers.host), requestId);
    return;
  }

  if (route.kind === "control") {
    const query = new URLSearchParams(queryAt === -1 ? "" : rawUrl.slice(queryAt + 1));
    const answer = await handleControl(req, route.resource, query, {
      faults: state.faults,
      addFault: state.addFault,
      requests: () => state.log.entries,
      clearRequests: () => state.log.clear(),
      originAllowed: state.hostCheck.originAllowed,
      take: share.take,
      bufferLimit: state.budget.limit,
    });
    const closeConnection = "close" in answer && answer.close === true;
    send(
      res,
      "headers" in answer ? answer : { ...answer, headers: {} },
      requestId,
      closeConnection,
    );
    return;
  }
  if (route.kind === "none") {
    entry.reason = "NOT_FOUND";
    send(res, vllmError(404, "NotFoundError", "Not Found"), requestId);
    return;
  }

  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > state.maxBodyBytes) {
    entry.reason = "BODY_TOO_LARGE";
    send(res, tooLarge(state.maxBodyBytes), requestId, true);
    return;
  }

  const verified = state.verifier.verify(req.headers.authorization);
  if (!verified.ok) {
    refuse(res, entry, verified.reason, verified.detail);
    return;
  }
  entry.accessKeyId = verified.accessKeyId;
  const allowed = state.allowed.get(verified.accessKeyId);
  if (allowed !== undefined && !allowed.has(route.endpoint)) {
    refuse(
      res,
      entry,
      "ACCESS_DENIED",
      `access key ${verified.accessKeyId} may not invoke this endpoint`,
    );
    return;
  }

  const resolved = resolveTarget(state.endpoints, route.endpoint, route.component);
  if ("error" in resolved) {
    entry.reason = resolved.reason;
    send(res, resolved.error, requestId);
    return;
  }

  const contentType = req.headers["content-type"];
  if (!isJsonContentType(contentType)) {
    entry.reason = "UNSUPPORTED_MEDIA_TYPE";
    send(res, unsupportedMediaType(contentType), requestId);
    return;
  }

  const fault = state.faults.take(route.endpoint, route.component);
  if (fault?.latencyMs !== undefined && fault.latencyMs > 0) {
    if (!(await waitForClient(fault.latencyMs, abort.signal))) return;
  }
  if (fault?.status !== undefined) {
    entry.reason = "FAULT_STATUS";
    const target =
      route.component === undefined
        ? `endpoint ${route.endpoint}`
        : `inference component ${route.component}`;
    send(res, faultResponse({ ...fault, status: fault.status }, target), requestId);
    return;
  }

  const body = await readBody(req, state.maxBodyBytes, share.take);
  if (body === "aborted") return;
  if (body === "too-large") {
    entry.reason = "BODY_TOO_LARGE";
    send(res, tooLarge(state.maxBodyBytes), requestId, true);
    return;
  }
  if (body === "over-budget") {
    entry.reason = "BODY_BUFFER_FULL";
    send(res, bodyBufferFull(state.budget.limit), requestId, true);
    return;
  }
  const parsed = parseChatRequest(body);
  if (!parsed.ok) {
    entry.reason = "BAD_REQUEST";
    send(res, parsed.error, requestId);
    return;
  }

  const context: BackendContext = {
    endpoint: route.endpoint,
    requestId,
    get signal() {
      return abort.signal;
    },
  };
  if (route.component !== undefined) context.component = route.component;
  const response = await callBackend(resolved.backend, parsed.request, context);
  if (abort.aborted) {
    // Nobody will read it: let a proxy backend release its upstream connection now.
    if (response.type === "stream") {
      void response.body[Symbol.asyncIterator]()
        .return?.()
        ?.catch(() => undefined);
    }
    return;
  }
  entry.stream = response.type === "stream";
  if (fault !== undefined) entry.reason = "FAULT";
  const outcome = await writeBackendResponse(
    res,
    response,
    { "x-amzn-requestid": requestId },
    fault ?? {},
    abort,
  );
  if (outcome === "cut") entry.reason = "FAULT_CUT";
}

function tooManyConnections(): JsonErrorResponse {
  return sageMakerError(
    503,
    "ServiceUnavailable",
    "TOO_MANY_CONNECTIONS",
    "The endpoint already serves as many connections as it accepts (maxConnections); " +
      "retry shortly, or reuse keep-alive connections instead of opening new ones.",
    { "retry-after": "1" },
  );
}

function hostNotAllowed(host: string | undefined): JsonErrorResponse {
  const got = host === undefined ? "no Host header" : "a Host header naming another server";
  return sageMakerError(
    403,
    "AccessDeniedException",
    "HOST_NOT_ALLOWED",
    `The local endpoint answers only requests addressed to itself (Host: its loopback address or ` +
      `name and its port); this request has ${got}. Use the URL the endpoint reports.`,
  );
}

async function callBackend(
  backend: ChatBackend,
  request: Parameters<ChatBackend["complete"]>[0],
  context: Parameters<ChatBackend["complete"]>[1],
): Promise<BackendResponse> {
  try {
    return await backend.complete(request, context);
  } catch {
    // The contract says backends return errors; one that throws is answered like a crashed vLLM.
    return { type: "json", ...vllmError(500, "InternalServerError", "The model backend failed.") };
  }
}

function refuse(
  res: ServerResponse,
  entry: AccessLogEntry,
  reason: RefusalReason,
  detail?: string,
): void {
  entry.reason = reason;
  const message =
    detail === undefined ? describeRefusal(reason) : `${describeRefusal(reason)} (${detail})`;
  send(
    res,
    sageMakerError(refusalStatus(reason), refusalType(reason), reason, message),
    entry.requestId,
  );
}

/** Counts requests in progress, for `LocalEndpoint.idle()`. */
export class InFlight {
  private _count = 0;
  private _waiters: Array<() => void> = [];

  /** A request was received. */
  start(): void {
    this._count += 1;
  }

  /** A request ended (after it was logged). */
  end(): void {
    this._count -= 1;
    if (this._count > 0) return;
    const waiters = this._waiters;
    this._waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves when no request is in progress (at once if none is). */
  idle(): Promise<void> {
    if (this._count === 0) return Promise.resolve();
    return new Promise((resolve) => this._waiters.push(resolve));
  }
}

/**
 * An abort signal created only when something asks for it: most requests
 * never need one, and an AbortController costs more per request than the rest
 * of the server's bookkeeping.
 */
class LazyAbort implements AbortState {
  private _controller: AbortController | undefined;
  private _aborted = false;

  get aborted(): boolean {
    return this._aborted;
  }

  get signal(): AbortSignal {
    this._controller ??= new AbortController();
    if (this._aborted) this._controller.abort();
    return this._controller.signal;
  }

  abort(): void {
    this._aborted = true;
    this._controller?.abort();
  }
}

/** Writes a JSON answer with the request id; `closeConnection` after a body left unread. */
export function send(
  res: ServerResponse,
  answer: JsonErrorResponse,
  requestId: string,
  closeConnection = false,
): void {
  const body = JSON.stringify(answer.body);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
    ...answer.headers,
  };
  if (requestId !== "") headers["x-amzn-requestid"] = requestId;
  // After a body we chose not to read, the connection cannot carry another request.
  if (closeConnection) headers.connection = "close";
  res.writeHead(answer.status, headers);
  res.end(body);
}
