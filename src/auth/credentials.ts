/**
 * Where signing credentials come from: a static object, any AWS credential
 * provider function, or (by default) the Node default chain of
 * `@aws-sdk/credential-provider-node`, imported only when first needed so that
 * importing `sagemaker-openai-agents/auth` stays cheap.
 *
 * That chain is an optional peer dependency, not a dependency: with its AWS SDK
 * core it is 16 MB of a fresh install, and an app that passes `credentials` (or
 * a `tokenProvider`) never uses it. Without it, the default chain answers with
 * a `MISSING_PEER` error that names the install command.
 */
import { ConfigurationError, ValidationError } from "../errors.js";
import { lazyOptionalPeer } from "../optional-peer.js";
import { CredentialsError } from "./errors.js";
import { DEFAULT_CREDENTIALS_TIMEOUT_MS } from "./options.js";
import { describeCause, redactedCause } from "./safe-cause.js";

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
 * The range of the optional peer `@aws-sdk/credential-provider-node` (the same
 * package the OpenAI SDK takes as an optional peer, so one copy serves both).
 */
export const CREDENTIAL_CHAIN_PEER_RANGE = "^3.972.0";

// One import per process; each defaultCredentialsProvider() builds its own chain from it.
const loadCredentialChain = lazyOptionalPeer({
  packageName: "@aws-sdk/credential-provider-node",
  range: CREDENTIAL_CHAIN_PEER_RANGE,
  neededBy: "Signing without explicit `credentials` (the default AWS credential chain)",
  load: () => import("@aws-sdk/credential-provider-node"),
});

/**
 * The Node default credential chain (environment, shared config and
 * credentials files, SSO, web identity, container, instance metadata):
 * `defaultProvider()` of `@aws-sdk/credential-provider-node`, which is what the
 * AWS SDK's clients and `fromNodeProviderChain()` use, imported on first use.
 * Each call returns an independent chain with its own cache, as each AWS SDK
 * client has.
 *
 * When the optional peer is not installed, each call of the returned provider
 * rejects with a {@link ConfigurationError} `MISSING_PEER` whose message is the
 * install command (and keeps trying, so installing it needs no restart of
 * anything but the process that lacked it).
 */
export function defaultCredentialsProvider(): AwsCredentialsProvider {
  let chain: AwsCredentialsProvider | undefined;
  return async () => {
    const module = await loadCredentialChain();
    // Checked after the await, so calls that waited together share one chain.
    chain ??= module.defaultProvider() as AwsCredentialsProvider;
    return chain();
  };
}

/** How {@link credentialsResolver} resolves when the source is a provider. */
export interface ResolverOptions {
  /** Makes the provider used when the source is undefined. Default {@link defaultCredentialsProvider}. */
  defaultProvider?: () => AwsCredentialsProvider;
  /** How long one provider call may take before it counts as failed, in ms. Default 10,000. */
  timeoutMs?: number;
}

/** What {@link withTimeLimit} rejects with when time runs out. */
const TIMED_OUT = Symbol("credentials timed out");

/**
 * Settles like `call()`, or rejects with {@link TIMED_OUT} after `ms`. The
 * timer keeps the process alive meanwhile, so a script awaiting credentials
 * gets an answer rather than an early exit; a late result of `call` is dropped.
 */
function withTimeLimit<T>(call: () => Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(TIMED_OUT), ms);
    new Promise<T>((settle) => settle(call())).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

const HOW_TO_FIX =
  "Configure credentials (e.g. AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) or pass `credentials`.";

/**
 * Turns a credentials source into one function that resolves and validates
 * credentials. Static credentials are validated now, so a bad object fails at once.
 *
 * A provider call that throws, or that has not answered within
 * `timeoutMs`, becomes a {@link CredentialsError} with code
 * `CREDENTIALS_UNAVAILABLE`. Its message names the cause and its `cause` is a
 * redacted copy of the provider's error (see `redactedCause`), never key
 * material. Each call asks the provider again: a call that timed out does
 * not hold up the next one. The exception: a {@link ConfigurationError}
 * passes through unchanged. A provider meets one only when loading an optional
 * peer fails (the default chain's package absent or broken: `MISSING_PEER` /
 * `PEER_LOAD_FAILED`), and that is fixed by installing a package.
 */
export function credentialsResolver(
  source: CredentialsSource | undefined,
  options: ResolverOptions = {},
): () => Promise<AwsCredentials> {
  if (source !== undefined && typeof source !== "function") {
    const credentials = checkCredentials(source);
    return () => Promise.resolve(credentials);
  }
  const provider = source ?? (options.defaultProvider ?? defaultCredentialsProvider)();
  const timeoutMs = options.timeoutMs ?? DEFAULT_CREDENTIALS_TIMEOUT_MS;
  const what =
    source === undefined
      ? "the default AWS credential chain (environment, shared config/SSO, container, instance metadata)"
      : "the credentials provider";
  return async () => {
    let resolved: unknown;
    try {
      resolved = await withTimeLimit(provider, timeoutMs);
    } catch (cause) {
      if (cause instanceof ConfigurationError) throw cause;
      if (cause === TIMED_OUT) {
        throw new CredentialsError(
          "CREDENTIALS_UNAVAILABLE",
          `Could not resolve AWS credentials: ${what} did not answer within ${timeoutMs} ms. ` +
            "Check that it can reach its source (SSO, instance metadata, a credential_process); " +
            "if it is only slow, give it longer (credentialsTimeoutMs, or --credentials-timeout-ms " +
            "on the command line).",
        );
      }
      const kept = redactedCause(cause);
      throw new CredentialsError(
        "CREDENTIALS_UNAVAILABLE",
        `Could not resolve AWS credentials from ${what}: ${describeCause(cause)}. ${HOW_TO_FIX}`,
        kept === undefined ? {} : { cause: kept },
      );
    }
    return checkCredentials(resolved, `The result of ${what}`);
  };
}
