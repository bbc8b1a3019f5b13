/**
 * Faults the local endpoint injects for reliability tests: an error status,
 * added latency, a stream cut after K chunks, malformed SSE, slow trickling.
 * Each fault targets an endpoint (and optionally one of its inference
 * components) and affects the next `count` requests that reach it after
 * authentication and routing, in the order the faults were added.
 */
import { z } from "zod";
import { SAGEMAKER_NAME_PATTERN } from "../addressing/names.js";
import { type JsonErrorResponse, sageMakerError } from "./error-bodies.js";

/** One fault, as given in the config, to `injectFault` or to `POST /_local/faults`. */
export interface FaultSpec {
  /** The endpoint whose requests this fault affects. */
  endpoint: string;
  /** Only this inference component; when omitted, every request to the endpoint. */
  component?: string;
  /** Answer with this status instead of calling the backend (429, 503, 424, 500, or any 400-599). */
  status?: number;
  /** How many requests the fault affects; `"always"` until cleared. Default 1. */
  count?: number | "always";
  /** Sent as `Retry-After` with a status fault (429 defaults to 1). */
  retryAfterSeconds?: number;
  /** Delay before the request is answered. */
  latencyMs?: number;
  /** Destroy the connection (a reset for the client) after this many body chunks; 0 = before the body. */
  cutStreamAfterChunks?: number;
  /** Send an SSE event whose data is not valid JSON after the first chunk of a stream. */
  malformedSse?: boolean;
  /** Write the response body at this many bytes per second. */
  trickleBytesPerSecond?: number;
  /** Replaces the default message of a status fault. */
  message?: string;
}

const name = z
  .string()
  .regex(SAGEMAKER_NAME_PATTERN, "must be a SageMaker name (letters, digits, hyphens; 1-63)");

/** Validates a {@link FaultSpec} from untrusted JSON. */
export const faultSpecSchema: z.ZodType<FaultSpec> = z
  .strictObject({
    endpoint: name,
    component: name.optional(),
    status: z.number().int().min(400).max(599).optional(),
    count: z.union([z.number().int().min(1), z.literal("always")]).optional(),
    retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    cutStreamAfterChunks: z.number().int().min(0).optional(),
    malformedSse: z.boolean().optional(),
    trickleBytesPerSecond: z.number().int().min(1).optional(),
    message: z.string().max(2000).optional(),
  })
  .refine(
    (f) =>
      f.status !== undefined ||
      f.latencyMs !== undefined ||
      f.cutStreamAfterChunks !== undefined ||
      f.malformedSse === true ||
      f.trickleBytesPerSecond !== undefined,
    "a fault needs at least one of status, latencyMs, cutStreamAfterChunks, malformedSse, trickleBytesPerSecond",
  ) as z.ZodType<FaultSpec>;

/** A fault the table holds, with how many more requests it affects. */
export interface ActiveFault {
  readonly id: number;
  readonly spec: FaultSpec;
  remaining: number;
}

/** The pending faults of one local endpoint. */
export class FaultTable {
  private _faults: ActiveFault[] = [];
  private _nextId = 1;

  /** Adds a fault (already validated) and returns it. */
  add(spec: FaultSpec): ActiveFault {
    const remaining = spec.count === "always" ? Number.POSITIVE_INFINITY : (spec.count ?? 1);
    const fault = { id: this._nextId++, spec, remaining };
    this._faults.push(fault);
    return fault;
  }

  /** Takes the oldest fault matching this request's target, counting it down. */
  take(endpoint: string, component: string | undefined): FaultSpec | undefined {
    if (this._faults.length === 0) return undefined;
    const index = this._faults.findIndex(
      (f) =>
        f.spec.endpoint === endpoint &&
        (f.spec.component === undefined || f.spec.component === component),
    );
    const fault = this._faults[index];
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this._faults.splice(index, 1);
    return fault.spec;
  }

  /** Removes every fault, or those of one endpoint (and component). Returns how many. */
  clear(endpoint?: string, component?: string): number {
    const before = this._faults.length;
    this._faults = this._faults.filter(
      (f) =>
        !(
          (endpoint === undefined || f.spec.endpoint === endpoint) &&
          (component === undefined || f.spec.component === component)
        ),
    );
    return before - this._faults.length;
  }

  /** The pending faults, oldest first (`remaining` is `null` for "always", so it serializes). */
  list(): Array<{ id: number; remaining: number | null; spec: FaultSpec }> {
    return this._faults.map((f) => ({
      id: f.id,
      remaining: Number.isFinite(f.remaining) ? f.remaining : null,
      spec: f.spec,
    }));
  }
}

/** The SageMaker-style response for a status fault. */
export function faultResponse(
  spec: FaultSpec & { status: number },
  target: string,
): JsonErrorResponse {
  const retryAfter = spec.retryAfterSeconds ?? (spec.status === 429 ? 1 : undefined);
  const headers: Record<string, string> =
    retryAfter === undefined ? {} : { "retry-after": String(retryAfter) };
  const [type, defaultMessage] = describeStatus(spec.status, target);
  return sageMakerError(spec.status, type, type, spec.message ?? defaultMessage, headers);
}

function describeStatus(status: number, target: string): [string, string] {
  switch (status) {
    case 429:
      return ["ThrottlingException", `Rate exceeded for ${target}.`];
    case 503:
      return ["ServiceUnavailable", `${target} is temporarily unable to handle the request.`];
    case 424:
      return [
        "ModelError",
        `Received server error (500) from primary with message "injected fault". See the container logs of ${target}.`,
      ];
    case 500:
      return ["InternalFailure", "The request processing has failed because of an unknown error."];
    default:
      return ["InjectedFault", `Injected fault with status ${status} for ${target}.`];
  }
}
