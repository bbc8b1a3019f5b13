/**
 * The local SageMaker OpenAI endpoint: an HTTP server on loopback that answers
 * the service's two chat completions routes the way SageMaker does. A request
 * goes through, in order: route match (404), size check by Content-Length
 * (413), bearer token verification (401), the key's allowed endpoints (403),
 * endpoint/component resolution (400 ValidationError), injected faults, body
 * reading with a running size count (413) and shape check (400), and finally
 * the backend, whose response is written back unchanged.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { sagemakerOpenAIPath } from "../addressing/base-url.js";
import { isLoopbackHost } from "../addressing/safe-url.js";
import { AccessLog, type AccessLogEntry } from "./access-log.js";
import type { BackendContext, BackendResponse, ChatBackend } from "./backend.js";
import {
  checkFaultTarget,
  DEFAULT_MAX_BODY_BYTES,
  type LocalEndpointConfig,
  resolveCredentials,
  resolveRegion,
  validateLocalEndpointConfig,
} from "./config.js";
import { handleControl } from "./control.js";
import { buildEndpointTable, closeBackends } from "./endpoint-table.js";
import { type JsonErrorResponse, sageMakerError, vllmError } from "./error-bodies.js";
import { LocalEndpointConfigError, LocalEndpointEnvironmentError } from "./errors.js";
import { type FaultSpec, FaultTable, faultResponse, faultSpecSchema } from "./faults.js";
import { describeRefusal, type RefusalReason, refusalStatus, refusalType } from "./refusals.js";
import { parseChatRequest, readBody, tooLarge } from "./request-body.js";
import { type AbortState, writeBackendResponse } from "./response-writer.js";
import { type EndpointTarget, matchRoute, resolveTarget } from "./routes.js";
import { TokenVerifier } from "./token-verifier.js";

/** A running local endpoint. */
export interface LocalEndpoint {
  /** `http://127.0.0.1:PORT` (or the configured host). */
  readonly url: string;
  /** The region tokens must be scoped to. */
  readonly region: string;
  /** The port it listens on. */
  readonly port: number;
  /** The OpenAI client `baseURL` for an endpoint or one of its components (names checked: `INVALID_ENDPOINT_NAME`, ...). */
  baseURL(endpoint: string, component?: string): string;
  /** Every endpoint and component served, with its base URL, in config order. */
  targets(): Array<{ endpoint: string; component?: string; baseURL: string }>;
  /** Adds a fault at run time and returns its id; throws `LOCAL_UNKNOWN_TARGET`/`LOCAL_CONFIG_INVALID`. */
  injectFault(fault: FaultSpec): number;
  /** Removes pending faults (all, or those of one endpoint/component); returns how many. */
  clearFaults(endpoint?: string, component?: string): number;
  /** The access log, oldest first (bounded; never holds a token). */
  readonly requests: readonly AccessLogEntry[];
  /**
   * TCP connections clients opened to this endpoint since it started (`opened`)
   * and those still open (`open`): shows whether clients reuse keep-alive sockets.
   */
  readonly connections: { readonly opened: number; readonly open: number };
  /** Stops listening, drops open connections, closes the backends it built and the log file. */
  close(): Promise<void>;
}

interface ServerState {
  endpoints: Map<string, EndpointTarget>;
  allowed: Map<string, ReadonlySet<string> | undefined>;
  verifier: TokenVerifier;
  faults: FaultTable;
  log: AccessLog;
  maxBodyBytes: number;
  clock: () => number;
  addFault(spec: FaultSpec): number;
}

/**
 * Starts a local SageMaker OpenAI endpoint and resolves once it listens.
 *
 * @example
 * ```ts
 * const local = await startLocalEndpoint({
 *   credentials: [{ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" }],
 *   endpoints: { ep1: { backend: { type: "demo" } } },
 * });
 * const client = new OpenAI({ baseURL: local.baseURL("ep1"), apiKey: token });
 * await local.close();
 * ```
 */
export async function startLocalEndpoint(input: LocalEndpointConfig): Promise<LocalEndpoint> {
  const config = validateLocalEndpointConfig(input);
  const region = resolveRegion(config);
  const credentials = resolveCredentials(config);
  const host = config.host ?? "127.0.0.1";
  if (!isLoopbackHost(host)) {
    if (config.allowNonLoopback !== true) {
      throw new LocalEndpointConfigError(
        "LOCAL_NON_LOOPBACK",
        `Refusing to listen on ${host}: the local endpoint serves plain HTTP, so bearer tokens would cross ` +
          "the network unencrypted. Set allowNonLoopback: true (CLI: --allow-non-loopback) if you mean it.",
      );
    }
    process.stderr.write(
      `warning: the local SageMaker endpoint listens on ${host}, beyond loopback; ` +
        "bearer tokens sent to it travel unencrypted.\n",
    );
  }
  const clock = config.clock ?? Date.now;
  const table = await buildEndpointTable(config);
  const faults = new FaultTable();
  const addFault = (spec: FaultSpec): number => {
    const parsed = faultSpecSchema.safeParse(spec);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LocalEndpointConfigError(
        "LOCAL_CONFIG_INVALID",
        `Invalid fault: ${issue?.path.join(".") || "fault"}: ${issue?.message ?? "invalid"}`,
      );
    }
    checkFaultTarget(config, parsed.data);
    return faults.add(parsed.data).id;
  };
  for (const fault of config.faults ?? []) addFault(fault);

  const state: ServerState = {
    endpoints: table.endpoints,
    allowed: new Map(
      credentials.map((c) => [
        c.accessKeyId,
        c.allowedEndpoints === undefined ? undefined : new Set(c.allowedEndpoints),
      ]),
    ),
    verifier: new TokenVerifier({ region, credentials, clock }),
    faults,
    log: new AccessLog(config.maxLoggedRequests ?? 10_000, config.accessLogFile),
    maxBodyBytes: config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    clock,
    addFault,
  };

  const server = createServer((req, res) => {
    handle(state, req, res).catch(() => {
      // Only a bug gets here; answer if we still can, never crash the process.
      if (!res.headersSent)
        send(res, vllmError(500, "InternalServerError", "Internal server error."), "");
      else res.destroy();
    });
  });
  server.on("clientError", answerClientError);
  const connections = { opened: 0, open: 0 };
  server.on("connection", (socket) => {
    connections.opened += 1;
    connections.open += 1;
    socket.once("close", () => {
      connections.open -= 1;
    });
  });
  try {
    await listen(server, host, config.port ?? 0);
  } catch (error) {
    await closeBackends(table.owned);
    await state.log.close();
    throw new LocalEndpointEnvironmentError(
      "LOCAL_LISTEN_FAILED",
      `The local endpoint cannot listen on ${host}:${config.port ?? 0} (${(error as NodeJS.ErrnoException).code ?? "error"}).`,
      { cause: error },
    );
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;

  // Same path rule as the client's: names are validated (INVALID_ENDPOINT_NAME, ...).
  const baseURL = (endpoint: string, component?: string): string =>
    `${url}${sagemakerOpenAIPath(endpoint, component)}`;

  return {
    url,
    region,
    port,
    baseURL,
    targets: () =>
      [...table.endpoints].flatMap(([endpoint, target]) =>
        target.kind === "single"
          ? [{ endpoint, baseURL: baseURL(endpoint) }]
          : [...target.components.keys()].map((component) => ({
              endpoint,
              component,
              baseURL: baseURL(endpoint, component),
            })),
      ),
    injectFault: addFault,
    clearFaults: (endpoint, component) => faults.clear(endpoint, component),
    get requests() {
      return state.log.entries;
    },
    get connections() {
      return { opened: connections.opened, open: connections.open };
    },
    close: () => {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await closeBackends(table.owned);
        await state.log.close();
      })();
      return closing;
    },
  };
}

/**
 * Requests Node's HTTP parser rejects (bad request line, oversized headers,
 * header timeout) still get a JSON body, like everything else the endpoint says.
 */
function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Duplex & { _httpMessage?: ServerResponse | null },
): void {
  // As Node's default handler: no second answer when a response already started on this socket.
  if (!socket.writable || socket._httpMessage?.headersSent === true) {
    socket.destroy();
    return;
  }
  const [status, text] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large"]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout"]
        : [400, "Bad Request"];
  const body = JSON.stringify({
    error: { message: text, type: "BadRequestError", param: null, code: status },
  });
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `connection: close\r\n\r\n${body}`,
  );
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    // Node's default backlog (511) overflows when a test opens 1,000 connections at once,
    // and the kernel then resets some of them; the kernel caps this at net.core.somaxconn.
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

async function handle(
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
  res.on("close", () => {
    if (!res.writableFinished) abort.abort();
    entry.status = res.headersSent ? res.statusCode : 0;
    entry.latencyMs = Math.round((performance.now() - started) * 100) / 100;
    if (route.kind !== "control") state.log.add(entry);
  });

  if (route.kind === "control") {
    const query = new URLSearchParams(queryAt === -1 ? "" : rawUrl.slice(queryAt + 1));
    const answer = await handleControl(req, route.resource, query, {
      faults: state.faults,
      addFault: state.addFault,
      requests: () => state.log.entries,
      clearRequests: () => state.log.clear(),
    });
    send(res, "headers" in answer ? answer : { ...answer, headers: {} }, requestId);
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

  const fault = state.faults.take(route.endpoint, route.component);
  if (fault?.latencyMs !== undefined && fault.latencyMs > 0) {
    try {
      await sleep(fault.latencyMs, undefined, { signal: abort.signal });
    } catch {
      return;
    }
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

  const body = await readBody(req, state.maxBodyBytes);
  if (body === "aborted") return;
  if (body === "too-large") {
    entry.reason = "BODY_TOO_LARGE";
    send(res, tooLarge(state.maxBodyBytes), requestId, true);
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

function send(
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
