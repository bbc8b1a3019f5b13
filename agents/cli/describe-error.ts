/**
 * One line for whatever stopped a `review` run: what went wrong and what to
 * fix, never a stack trace, never a token. The package's own errors carry a
 * stable code and a message written for people; a hint is added for the
 * configuration mistakes people make (names, reachability, credentials).
 */
import { redactTokens, SageMakerOpenAIError } from "../../src/errors.js";

const NAMES_HINT =
  "Check the endpoint and inference component names (--endpoint, --coder-component, --reviewer-component).";
const REACH_HINT =
  "Check that the endpoint is reachable from here (--base-url, --region, network or VPC settings).";
const AUTH_HINT = "Check the AWS credentials and region the tokens are signed with.";
const ACCESS_HINT = "The credentials may not invoke this endpoint (IAM sagemaker:InvokeEndpoint).";
const DEMO_HINT = "Without endpoint settings, review runs offline against the local demo model.";

function flat(text: string): string {
  return redactTokens(text).replace(/\s+/g, " ").trim();
}

function fieldOf(error: unknown, key: string): unknown {
  return typeof error === "object" && error !== null
    ? (error as Record<string, unknown>)[key]
    : undefined;
}

function hintFor(code: string | undefined, status: number | undefined, message: string): string {
  switch (code) {
    case "NOT_FOUND":
      return NAMES_HINT;
    case "CONNECTION_FAILED":
    case "REQUEST_TIMEOUT":
      return REACH_HINT;
    case "AUTHENTICATION_FAILED":
      return AUTH_HINT;
    case "ACCESS_DENIED":
      return ACCESS_HINT;
    case "REGION_UNRESOLVED":
      return `Pass --region REGION. ${DEMO_HINT}`;
    case "CREDENTIALS_UNAVAILABLE":
      return DEMO_HINT;
    default:
      break;
  }
  if (status === 404) return NAMES_HINT;
  if (status === 401) return AUTH_HINT;
  if (status === 403) return ACCESS_HINT;
  // SageMaker answers an unknown inference component with a 400 ValidationError naming it.
  if (status === 400 && /inference component|endpoint .*not found/i.test(message))
    return NAMES_HINT;
  return "";
}

function withHint(line: string, hint: string): string {
  return hint === "" || line.includes(hint) ? line : `${line} ${hint}`;
}

/** The one line to print for `error` (without a trailing newline). */
export function describeError(error: unknown): string {
  const message = flat(error instanceof Error ? error.message : String(error));
  const status = fieldOf(error, "status");
  const httpStatus = typeof status === "number" ? status : undefined;
  if (error instanceof SageMakerOpenAIError) {
    return withHint(`error [${error.code}]: ${message}`, hintFor(error.code, httpStatus, message));
  }
  const name = error instanceof Error ? error.name : "";
  if (name === "AbortError" || /aborted/i.test(message)) return "error: the run was interrupted.";
  // The OpenAI SDK's errors, as LangChain's ChatOpenAI passes them on.
  const kind = typeof error === "object" && error !== null ? error.constructor.name : "";
  if (/Connection/i.test(`${name} ${kind}`) || /^connection error/i.test(message)) {
    return withHint(
      `error [CONNECTION_FAILED]: cannot reach the endpoint (${message}).`,
      REACH_HINT,
    );
  }
  if (httpStatus !== undefined) {
    return withHint(
      `error [HTTP_${httpStatus}]: the endpoint answered ${httpStatus}: ${message}`,
      hintFor(undefined, httpStatus, message),
    );
  }
  return `error: ${message || name || "unknown error"}`;
}
