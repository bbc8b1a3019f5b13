/**
 * The local endpoint's URL space: the two chat completions routes SageMaker
 * has, the loopback-only control routes, and how a matched endpoint/component
 * pair is resolved against the configured endpoint table (with the
 * ValidationError SageMaker gives for each mismatch).
 */

import { isValidResourceName } from "../addressing/names.js";
import { redactTokens } from "../errors.js";
import type { ChatBackend } from "./backend.js";
import { type JsonErrorResponse, sageMakerError } from "./error-bodies.js";

/** What a request's method and path ask for. */
export type Route =
  | { kind: "chat"; endpoint: string; component: string | undefined }
  | { kind: "control"; resource: string }
  | { kind: "none" };

/** Prefix of the control routes (`/_local/faults`, `/_local/requests`). */
export const CONTROL_PREFIX = "/_local/";

const CHAT_SUFFIX = "/openai/v1/chat/completions";

/** Matches a method and a path (without query string) to a route. */
export function matchRoute(method: string | undefined, path: string): Route {
  if (path.startsWith(CONTROL_PREFIX)) {
    return { kind: "control", resource: path.slice(CONTROL_PREFIX.length) };
  }
  if (method !== "POST" || !path.startsWith("/endpoints/") || !path.endsWith(CHAT_SUFFIX)) {
    return { kind: "none" };
  }
  const middle = path.slice("/endpoints/".length, path.length - CHAT_SUFFIX.length).split("/");
  const [endpoint, keyword, component] = middle;
  if (middle.length === 1 && endpoint !== "") {
    return { kind: "chat", endpoint: endpoint as string, component: undefined };
  }
  if (
    middle.length === 3 &&
    keyword === "inference-components" &&
    endpoint !== "" &&
    component !== ""
  ) {
    return { kind: "chat", endpoint: endpoint as string, component: component as string };
  }
  return { kind: "none" };
}

/** An endpoint as the server runs it: one backend, or backends by component name. */
export type EndpointTarget =
  | { kind: "single"; backend: ChatBackend }
  | { kind: "components"; components: Map<string, ChatBackend> };

/** Finds the backend for an endpoint/component pair, or the 400 SageMaker would send. */
export function resolveTarget(
  endpoints: ReadonlyMap<string, EndpointTarget>,
  endpoint: string,
  component: string | undefined,
): { backend: ChatBackend } | { error: JsonErrorResponse; reason: string } {
  const target = endpoints.get(endpoint);
  if (target === undefined) {
    return refuse("ENDPOINT_NOT_FOUND", `Endpoint ${shown(endpoint)} not found.`);
  }
  if (target.kind === "single") {
    if (component !== undefined) {
      return refuse(
        "COMPONENT_NOT_EXPECTED",
        `Endpoint ${endpoint} hosts a single model and has no inference components; ` +
          `call /endpoints/${endpoint}/openai/v1/chat/completions.`,
      );
    }
    return { backend: target.backend };
  }
  const names = [...target.components.keys()].join(", ");
  if (component === undefined) {
    return refuse(
      "COMPONENT_REQUIRED",
      `Endpoint ${endpoint} hosts inference components (${names}); name one in the path: ` +
        `/endpoints/${endpoint}/inference-components/<name>/openai/v1/chat/completions.`,
    );
  }
  const backend = target.components.get(component);
  if (backend === undefined) {
    return refuse(
      "COMPONENT_NOT_FOUND",
      `Inference component ${shown(component)} not found on endpoint ${endpoint} (it has: ${names}).`,
    );
  }
  return { backend };
}

function refuse(reason: string, message: string): { error: JsonErrorResponse; reason: string } {
  return { error: sageMakerError(400, "ValidationError", reason, message), reason };
}

/** A name from the path, quoted only if it is a valid name (so arbitrary input is not echoed). */
function shown(name: string): string {
  return isValidResourceName(name) ? redactTokens(name) : "(an invalid name)";
}
