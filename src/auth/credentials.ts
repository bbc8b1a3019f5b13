/**
 * Where signing credentials come from: a static object, any AWS credential
 * provider function, or (by default) the Node default chain of
 * `@aws-sdk/credential-providers`, imported only when first needed so that
 * importing `sagemaker-openai-agents/auth` stays cheap.
 */
import { ValidationError } from "../errors.js";
import { CredentialsError } from "./errors.js";

/**
 * AWS credentials as the AWS SDK for JavaScript v3 shapes them
 * (`AwsCredentialIdentity`). An empty `sessionToken` counts as none, as the SDK's
 * environment provider treats an empty `AWS_SESSION_TOKEN`.
 */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
  /** When temporary credentials stop working; tokens they sign stop working then too. */
  readonly expiration?: Date | undefined;
}

/**
 * A function resolving credentials, e.g. `fromNodeProviderChain()`, `fromIni()`,
 * `fromTemporaryCredentials(...)`: any `AwsCredentialIdentityProvider` fits.
 */
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/** Static credentials or a provider of them. */
export type CredentialsSource = AwsCredentials | AwsCredentialsProvider;

// Long runs of base64-ish characters: the shape of secret keys and session tokens.
const KEY_MATERIAL = /[A-Za-z0-9/+=]{32,}/g;

/**
 * A one-line description of why a provider failed, safe to show: the error's
 * name and message with anything shaped like key material removed.
 */
function describeCause(cause: unknown): string {
  const text =
    cause instanceof Error ? `${cause.name}: ${cause.message}` : `a thrown ${typeof cause}`;
  const line = text.split("\n", 1)[0] ?? "";
  return line.replace(KEY_MATERIAL, "[REDACTED]").slice(0, 300);
}

function isPrintable(value: string): boolean {
  // Control characters cannot be part of real key material, and lone surrogates
  // (\p{Cs} in a `u` regex) have no UTF-8 form, so botocore could not sign them either.
  return !/[\p{Cc}\p{Cs}]/u.test(value);
}

function checkField(value: unknown, field: string, origin: string, maxLength: number): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new ValidationError(
      "INVALID_CREDENTIALS",
      `${origin} has no ${field}: expected a non-empty string.`,
    );
  }
  if (value.length > maxLength || !isPrintable(value)) {
    throw new ValidationError(
      "INVALID_CREDENTIALS",
      `${origin} has an unusable ${field}: expected at most ${maxLength} printable characters.`,
    );
  }
  return value;
}

/**
 * Checks that `value` is usable credentials and returns a clean copy.
 * Throws `INVALID_CREDENTIALS` naming the field, never its value.
 *
 * @param origin - who supplied them, for the message (e.g. `"The credential provider's result"`).
 */
export function checkCredentials(
  value: unknown,
  origin = "The credentials option",
): AwsCredentials {
  if (typeof value !== "object" || value === null) {
    throw new ValidationError(
      "INVALID_CREDENTIALS",
      `${origin} must be an object { accessKeyId, secretAccessKey, sessionToken? } or a provider function.`,
    );
  }
  const fields = value as Record<string, unknown>;
  const accessKeyId = checkField(fields.accessKeyId, "accessKeyId", origin, 256);
  const secretAccessKey = checkField(fields.secretAccessKey, "secretAccessKey", origin, 1024);
  const rawSessionToken = fields.sessionToken;
  const sessionToken =
    rawSessionToken === undefined || rawSessionToken === null || rawSessionToken === ""
      ? undefined
      : checkField(rawSessionToken, "sessionToken", origin, 8192);
  const expiration = fields.expiration;
  if (
    expiration !== undefined &&
    expiration !== null &&
    !(expiration instanceof Date && Number.isFinite(expiration.getTime()))
  ) {
    throw new ValidationError(
      "INVALID_CREDENTIALS",
      `${origin} has an unusable expiration: expected a valid Date.`,
    );
  }
  return {
    accessKeyId,
    secretAccessKey,
    sessionToken,
    expiration: expiration instanceof Date ? expiration : undefined,
  };
}

/**
 * The Node default credential chain (environment, shared config and
 * credentials files, SSO, web identity, container, instance metadata),
 * imported on first use. Each call returns an independent chain with its own
 * cache, as each AWS SDK client has.
 */
export function defaultCredentialsProvider(): AwsCredentialsProvider {
  let chain: Promise<AwsCredentialsProvider> | undefined;
  return async () => {
    chain ??= import("@aws-sdk/credential-providers").then(
      (module) => module.fromNodeProviderChain() as AwsCredentialsProvider,
      (error: unknown) => {
        chain = undefined;
        throw error;
      },
    );
    return (await chain)();
  };
}

/**
 * Turns a credentials source into one function that resolves and validates
 * credentials. A provider that throws becomes a {@link CredentialsError} with
 * code `CREDENTIALS_UNAVAILABLE` naming the cause (kept as `cause`), never key material.
 * Static credentials are validated now, so a bad object fails at once.
 *
 * @param defaultProvider - makes the provider used when `source` is undefined.
 */
export function credentialsResolver(
  source: CredentialsSource | undefined,
  defaultProvider: () => AwsCredentialsProvider = defaultCredentialsProvider,
): () => Promise<AwsCredentials> {
  if (source !== undefined && typeof source !== "function") {
    const credentials = checkCredentials(source);
    return () => Promise.resolve(credentials);
  }
  const provider = source ?? defaultProvider();
  const what =
    source === undefined
      ? "the default AWS credential chain (environment, shared config/SSO, container, instance metadata)"
      : "the credentials provider";
  return async () => {
    let resolved: unknown;
    try {
      resolved = await provider();
    } catch (cause) {
      throw new CredentialsError(
        "CREDENTIALS_UNAVAILABLE",
        `Could not resolve AWS credentials from ${what}: ${describeCause(cause)}. ` +
          "Configure credentials (e.g. AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) " +
          "or pass `credentials`.",
        { cause },
      );
    }
    return checkCredentials(resolved, `The result of ${what}`);
  };
}
