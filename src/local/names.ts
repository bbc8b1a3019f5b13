/**
 * The name rules the local endpoint enforces on its configuration, so a config
 * that works here names things the way real SageMaker would accept them.
 */

/**
 * SageMaker's rule for endpoint and inference component names: 1-63
 * characters, letters, digits and hyphens, starting and ending with a letter
 * or digit (`^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`).
 */
export const SAGEMAKER_NAME_PATTERN: RegExp = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/**
 * An access key id as IAM defines it (word characters, at most 128). Looser
 * than real keys (`AKIA...`, 20 characters) so tests can use `AKIDEXAMPLE`.
 */
export const ACCESS_KEY_ID_PATTERN: RegExp = /^\w{1,128}$/;

/** True when `name` is a valid SageMaker endpoint or inference component name. */
export function isSageMakerName(name: string): boolean {
  return SAGEMAKER_NAME_PATTERN.test(name);
}
