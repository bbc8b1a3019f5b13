/**
 * The control routes, for tests written in other languages or processes:
 * `POST /_local/faults` (a fault as JSON), `GET /_local/faults`,
 * `DELETE /_local/faults[?endpoint=&component=]`, `GET /_local/requests`,
 * `DELETE /_local/requests`. A web page the user visits must not reach them:
 * the server has already refused a foreign `Host` (DNS rebinding); here they
 * answer only connections from loopback, refuse any request whose `Origin` is
 * not the endpoint itself (403), and a POST must say
 * `content-type: application/json` (415), which a cross-origin form cannot.
 */
import type { IncomingMessage } from "node:http";
import type { AccessLogEntry } from "./access-log.js";
import { badRequest, type JsonErrorResponse, sageMakerError, vllmError } from "./error-bodies.js";
import type { FaultSpec, FaultTable } from "./faults.js";
import { faultSpecSchema } from "./faults.js";
import {
  bodyBufferFull,
  isJsonContentType,
  readBody,
  tooLarge,
  unsupportedMediaType,
} from "./request-body.js";

/** What the control routes act upon. */
export interface ControlState {
  faults: FaultTable;
  /** Adds a validated fault after checking its target exists; throws a config error otherwise. */
  addFault(spec: FaultSpec): number;
  requests(): readonly AccessLogEntry[];
  clearRequests(): void;
  /** Whether an `Origin` header names the endpoint itself. */
  originAllowed(origin: string): boolean;
  /** Takes body bytes from the endpoint's shared body budget; false when it is full. */
  take(bytes: number): boolean;
  /** The budget's size (`maxBufferedBodyBytes`), for the refusal's message. */
  bufferLimit: number;
}

/** A JSON answer from a control route. */
export interface ControlResponse {
  status: number;
  body: unknown;
}

/** The largest fault a POST may send. */
const MAX_FAULT_BYTES = 64 * 1024;

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/** Handles one control request; `resource` is the path after `/_local/`. */
export async function handleControl(
  req: IncomingMessage,
  resource: string,
  query: URLSearchParams,
  state: ControlState,
): Promise<ControlResponse | (JsonErrorResponse & { close?: boolean })> {
  const remote = req.socket.remoteAddress ?? "";
  if (!LOOPBACK.has(remote) && !remote.startsWith("127.")) {
    return sageMakerError(
      403,
      "AccessDeniedException",
      "CONTROL_NOT_LOOPBACK",
      "The control routes answer loopback clients only.",
    );
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !state.originAllowed(origin)) {
    return sageMakerError(
      403,
      "AccessDeniedException",
      "ORIGIN_NOT_ALLOWED",
      "The control routes refuse requests sent on behalf of a web page (an Origin header other " +
        "than the endpoint itself). Call them from a test process, without an Origin header.",
    );
  }
  const route = `${req.method} ${resource}`;
  switch (route) {
    case "GET faults":
      return { status: 200, body: { faults: state.faults.list() } };
    case "DELETE faults": {
      const cleared = state.faults.clear(
        query.get("endpoint") ?? undefined,
        query.get("component") ?? undefined,
      );
      return { status: 200, body: { cleared } };
    }
    case "POST faults":
      return addFault(req, state);
    case "GET requests":
      return { status: 200, body: { requests: state.requests() } };
    case "DELETE requests":
      state.clearRequests();
      return { status: 200, body: { cleared: true } };
    default:
      return vllmError(404, "NotFoundError", `No control route ${req.method} /_local/${resource}.`);
  }
}

async function addFault(
  req: IncomingMessage,
  state: ControlState,
): Promise<ControlResponse | (JsonErrorResponse & { close?: boolean })> {
  const contentType = req.headers["content-type"];
  if (!isJsonContentType(contentType)) return unsupportedMediaType(contentType);
  const body = await readBody(req, MAX_FAULT_BYTES, state.take);
  // Refused with the body unread: the connection cannot carry another request.
  if (body === "over-budget") return { ...bodyBufferFull(state.bufferLimit), close: true };
  if (body === "too-large") return { ...tooLarge(MAX_FAULT_BYTES), close: true };
  if (body === "aborted") return badRequest("The upload of the fault was interrupted.");
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    return badRequest("The fault is not valid JSON.");
  }
  const parsed = faultSpecSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join(".") ?? "";
    return badRequest(
      `${path === "" ? "fault" : path}: ${issue?.message ?? "invalid"}`,
      path || null,
    );
  }
  try {
    const id = state.addFault(parsed.data);
    return { status: 201, body: { id, fault: parsed.data } };
  } catch (error) {
    return badRequest(error instanceof Error ? error.message : "The fault cannot be added.");
  }
}
