/** Reading the stable `code` of the package's typed errors in tests. */
import { expect } from "vitest";
import { SageMakerOpenAIError } from "../../src/errors.js";

/**
 * Runs `create`; when it throws, asserts the error is a
 * `SageMakerOpenAIError` and returns its code; `undefined` when it does not throw.
 */
export function sagemakerErrorCode(create: () => unknown): string | undefined {
  try {
    create();
  } catch (error) {
    expect(error).toBeInstanceOf(SageMakerOpenAIError);
    return (error as SageMakerOpenAIError).code;
  }
  return undefined;
}
