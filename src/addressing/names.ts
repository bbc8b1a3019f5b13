/**
 * SageMaker endpoint and inference component names. They become path segments
 * of the URL that carries the bearer token, so they are checked against
 * SageMaker's own naming rule before use.
 */
import { ValidationError } from "../errors.js";

/**
 * SageMaker's rule for endpoint and inference component names: 1 to 63
 * letters, digits and hyphens, starting and ending with a letter or digit.
 */
export const SAGEMAKER_NAME_PATTERN: RegExp = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** Which name is being checked; picks the error code and the wording. */
export type ResourceNameKind = "endpointName" | "inferenceComponentName";

const CODES: Record<ResourceNameKind, string> = {
  endpointName: "INVALID_ENDPOINT_NAME",
  inferenceComponentName: "INVALID_INFERENCE_COMPONENT_NAME",
};

/** Whether `name` satisfies SageMaker's endpoint / inference component naming rule. */
export function isValidResourceName(name: unknown): name is string {
  // The length check first keeps the regex's work bounded on huge inputs.
  return typeof name === "string" && name.length <= 63 && SAGEMAKER_NAME_PATTERN.test(name);
}

/**
 * Returns `name` if it is a valid SageMaker endpoint / inference component
 * name, else throws a {@link ValidationError} with code `INVALID_ENDPOINT_NAME`
 * or `INVALID_INFERENCE_COMPONENT_NAME`.
 */
export function assertResourceName(name: unknown, kind: ResourceNameKind): string {
  if (isValidResourceName(name)) {
    return name;
  }
  const rule =
    "SageMaker names are 1-63 letters, digits and hyphens, starting and ending with a letter or digit.";
  if (name === undefined) {
    const what = kind === "endpointName" ? "the SageMaker endpoint" : "the inference component";
    throw new ValidationError(CODES[kind], `${kind} is missing: pass the name of ${what}. ${rule}`);
  }
  const type = typeof name;
  const shown =
    type === "string"
      ? JSON.stringify((name as string).slice(0, 80))
      : name === null
        ? "null"
        : `${type === "object" ? "an" : "a"} ${type}`;
  throw new ValidationError(CODES[kind], `Invalid ${kind} ${shown}: ${rule}`);
}
