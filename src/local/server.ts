/**
 * The local SageMaker OpenAI endpoint: an HTTP server on loopback that answers
 * the service's two chat completions routes the way SageMaker does. This file
 * is its lifecycle (config, listening, connection counting, close); what one
 * request goes through is in request-pipeline.ts.
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { sagemakerOpenAIPath } from "../addressing/base-url.js";
import { isLoopbackHost } from "../addressing/safe-url.js";
import { AccessLog, type AccessLogEntry } from "./access-log.js";
import { BodyBudget } from "./body-budget.js";
import {
  checkFaultTarget,
  type LocalEndpointConfig,
  resolveCredentials,
  resolveLimits,
  resolveRegion,
  validateLocalEndpointConfig,
} from "./config.js";
import { defaultLocalEndpointConfig } from "./default-config.js";
import { buildEndpointTable, closeBackends } from "./endpoint-table.js";
import { vllmError } from "./error-bodies.js";
import { LocalEndpointConfigError, LocalEndpointEnvironmentError } from "./errors.js";
import { type FaultSpec, FaultTable, faultSpecSchema } from "./faults.js";
import { createHostCheck } from "./host-check.js";
import { handle, InFlight, type ServerState, send } from "./request-pipeline.js";
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
  /**
   * The access log, oldest first (bounded; never holds a token). A request is
   * logged when its response ends or its connection closes, which can be just
   * after the client has its answer: `await idle()` before reading it.
   */
  readonly requests: readonly AccessLogEntry[];
  /** Resolves once every request received so far has ended (and is in the access log). */
  idle(): Promise<void>;
  /**
   * TCP connections clients opened to this endpoint since it started (`opened`)
   * and those still open (`open`): shows whether clients reuse keep-alive sockets.
   */
  readonly connections: { readonly opened: number; readonly open: number };
  /** Stops listening, drops open connections, closes the backends it built and the log file. */
  close(): Promise<void>;
}

/**
 * Starts a local SageMaker OpenAI endpoint and resolves once it listens.
 *
 * Without a config it serves {@link defaultLocalEndpointConfig} (what the CLI's
 * `local` command serves without `--config`): the demo model as endpoint `demo`
 * and as inference components `coder` and `reviewer` of endpoint `agents`, on
 * 127.0.0.1 at a free port, accepting tokens signed with the AWS environment
 * credentials (`AWS_ACCESS_KEY_ID`, ...; none there is `LOCAL_NO_CREDENTIALS`).
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
export async function startLocalEndpoint(
  input: LocalEndpointConfig = defaultLocalEndpointConfig(),
): Promise<LocalEndpoint> {
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
  const limits = resolveLimits(config);
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
    maxBodyBytes: limits.maxBodyBytes,
    budget: new BodyBudget(limits.maxBufferedBodyBytes),
    // No request arrives before listening; the real check needs the port.
    hostCheck: createHostCheck(host, -1),
    overCapacity: new WeakSet(),
    inFlight: new InFlight(),
    clock,
    addFault,
  };

  const serverOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // Node checks both timeouts on this interval (30 s by default, longer than the timeouts themselves).
    connectionsCheckingInterval: Math.max(
      10,
      Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4)),
    ),
  };
  const server = createServer(serverOptions, (req, res) => {
    handle(state, req, res).catch(() => {
      // Only a bug gets here; answer if we still can, never crash the process.
      if (!res.headersSent)
        send(res, vllmError(500, "InternalServerError", "Internal server error."), "");
      else res.destroy();
    });
  });
  server.on("clientError", answerClientError);
  server.on("timeout", closeIfStillIdle);
  // Past twice the cap, connections are dropped unanswered: a flood must not hold a socket each.
  server.maxConnections = limits.maxConnections * 2;
  const connections = { opened: 0, open: 0 };
  server.on("connection", (socket: Duplex) => {
    connections.opened += 1;
    connections.open += 1;
    // Its requests get 503 and the connection closes (request-pipeline.ts).
    if (connections.open > limits.maxConnections) state.overCapacity.add(socket);
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
  state.hostCheck = createHostCheck(host, port);
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
    idle: () => state.inFlight.idle(),
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
 * Closes a keep-alive connection whose idle timer fired, unless the next
 * request's bytes arrived meanwhile. Node would destroy it at once (it does so
 * only while no `timeout` listener is set), and the timer can fire in the same
 * loop turn as those bytes arrive (the loop was blocked, or the client reused
 * the socket just then): the kernel then resets a connection holding a request
 * the server had already received. Waiting for the check phase lets the poll
 * phase read them first; a request that started keeps the connection open.
 */
function closeIfStillIdle(socket: Socket): void {
  const bytesRead = socket.bytesRead;
  setImmediate(() => {
    if (socket.bytesRead === bytesRead) socket.destroy();
  });
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
