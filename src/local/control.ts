/**
 * The control routes, for tests written in other languages or processes:
 * `POST /_local/faults` (a fault as JSON), `GET /_local/faults`,
 * `DELETE /_local/faults[?endpoint=&component=]`, `GET /_local/requests`,
 * `DELETE /_local/requests`. They answer only connections from loopback, and a
 * POST must say `content-type: application/json`, so a web page the user
 * visits cannot inject faults with a simple cross-origin form post.
 */
import type { IncomingMessage } from "node:http";
import type { AccessLogEntry } from "./access-log.js";
import { badRequest, type JsonErrorResponse, sageMakerError, vllmError } from "./error-bodies.js";
import type { FaultSpec, FaultTable } from "./faults.js";
import { faultSpecSchema } from "./faults.js";
import { readBody } from "./request-body.js";

/** What the control routes act upon. */
export interface ControlState {
  faults: FaultTable;
  /** Adds a validated fault after checking its target exists; throws a config error otherwise. */
  addFault(spec: FaultSpec): number;
  requests(): readonly AccessLogEntry[];
  clearRequests(): void;
}

/** A JSON answer from a control route. */
export interface ControlResponse {
  status: number;
  body: unknown;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/** Handles one control request; `resource` is the path after `/_local/`. */
export async function handleControl(
  req: IncomingMessage,
  resource: string,
  query: URLSearchParams,
  state: ControlState,
): Promise<ControlResponse | JsonErrorResponse> {
  const remote = req.socket.remoteAddress ?? "";
  if (!LOOPBACK.has(remote) && !remote.startsWith("127.")) {
    return sageMakerError(
      403,
      "AccessDeniedException",
      "CONTROL_NOT_LOOPBACK",
      "The control routes answer loopback clients only.",
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
): Promise<ControlResponse | JsonErrorResponse> {
  if (!(req.headers["content-type"] ?? "").toLowerCase().startsWith("application/json")) {
    return badRequest("POST /_local/faults needs content-type: application/json.");
  }
  const body = await readBody(req, 64 * 1024);
  if (!(body instanceof Buffer))
    return badRequest("The fault is too large or the upload was interrupted.");
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
