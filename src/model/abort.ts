/**
 * What a `ChatSageMakerOpenAI` call ends with when its `AbortSignal` fires,
 * wherever it was waiting (for credentials, a connection, the first chunk, a
 * retry's backoff): one typed error instead of whatever the layer that
 * noticed threw (a `DOMException` from LangChain's signal checks, Node's
 * `AbortError`, the OpenAI SDK's `APIUserAbortError`).
 */
import { SageMakerOpenAIError } from "../errors.js";
import type { SageMakerTarget } from "./options.js";

/**
 * A model call was ended by its `AbortSignal` (code `ABORTED`). `cause` is the
 * signal's `reason`. Its `name` is `"AbortError"`, as LangChain, LangGraph and
 * `fetch` name aborts, so code that recognises aborts by name (e.g.
 * LangGraph's retry policy, which does not retry them) keeps working;
 * `instanceof RequestAbortedError` or `code === "ABORTED"` identifies it as
 * this package's. Never retried.
 */
export class RequestAbortedError extends SageMakerOpenAIError {
  declare readonly code: "ABORTED";
  /** The endpoint the call was for. */
  readonly endpointName: string;
  /** The inference component the call was for, if any. */
  readonly componentName: string | undefined;

  constructor(target: SageMakerTarget, reason: unknown) {
    const component =
      target.inferenceComponentName === undefined
        ? ""
        : ` (inference component "${target.inferenceComponentName}")`;
    super(
      "ABORTED",
      `The call to SageMaker endpoint "${target.endpointName}"${component} was aborted by its ` +
        `AbortSignal${describeReason(reason)}.`,
      reason === undefined ? {} : { cause: reason },
    );
    this.name = "AbortError";
    this.endpointName = target.endpointName;
    this.componentName = target.inferenceComponentName;
  }
}

function describeReason(reason: unknown): string {
  if (!(reason instanceof Error)) return "";
  // The default reasons say nothing beyond "aborted"; a timeout or a caller's own reason does.
  if (reason.name === "AbortError") return "";
  return `: ${reason.name}: ${reason.message.split("\n", 1)[0]?.slice(0, 200) ?? ""}`;
}

/** `error` if it already is the abort error, else the abort error for `signal`'s reason. */
function abortErrorFor(
  target: SageMakerTarget,
  signal: AbortSignal,
  error?: unknown,
): RequestAbortedError {
  return error instanceof RequestAbortedError
    ? error
    : new RequestAbortedError(target, signal.reason);
}

/** `error`, or the typed abort error when `signal` has fired (whatever the layer that noticed threw). */
export function typedAbort(
  target: SageMakerTarget,
  signal: AbortSignal | undefined,
  error: unknown,
): unknown {
  return signal?.aborted ? abortErrorFor(target, signal, error) : error;
}

/**
 * `pending`, except that it rejects with the typed abort error once `signal`
 * has fired; `pending` itself when there is no signal (nothing to retype).
 */
export function withTypedAbort<T>(
  pending: Promise<T>,
  target: SageMakerTarget,
  signal: AbortSignal | undefined,
): Promise<T> {
  return signal === undefined
    ? pending
    : pending.catch((error: unknown) => {
        throw typedAbort(target, signal, error);
      });
}
