/** Reading the package's typed errors (and their stable `code`) in tests. */
import { expect } from "vitest";
import { SageMakerOpenAIError } from "../../src/errors.js";

/** What `create` throws, asserted to be a `SageMakerOpenAIError`; undefined when it does not throw. */
function thrownBy(create: () => unknown): SageMakerOpenAIError | undefined {
  try {
    create();
  } catch (error) {
    expect(error).toBeInstanceOf(SageMakerOpenAIError);
    return error as SageMakerOpenAIError;
  }
  return undefined;
}

/**
 * Runs `create`; when it throws, asserts the error is a
 * `SageMakerOpenAIError` and returns its code; `undefined` when it does not throw.
 */
export function sagemakerErrorCode(create: () => unknown): string | undefined {
  return thrownBy(create)?.code;
}

/** Runs `create` and returns the `SageMakerOpenAIError` it throws; fails the test if it throws none. */
export function sagemakerError(create: () => unknown): SageMakerOpenAIError {
  return thrownBy(create) ?? expect.fail("expected a SageMakerOpenAIError to be thrown");
}

/** A class of errors, for {@link rejectionOf}. */
type ErrorClass<E> = abstract new (...args: never[]) => E;

/**
 * Awaits `promise`, asserts it rejects with an instance of `type` (default
 * `SageMakerOpenAIError`), and returns that error.
 */
export async function rejectionOf<E extends Error = SageMakerOpenAIError>(
  promise: Promise<unknown>,
  type: ErrorClass<E> = SageMakerOpenAIError as unknown as ErrorClass<E>,
): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}
