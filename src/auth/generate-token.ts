/**
 * `generateToken`: one SageMaker bearer token, byte-identical to the official
 * Python SDK's `sagemaker.core.token_generator.generate_token` for the same
 * credentials, region, lifetime and instant.
 */
import {
  type AwsCredentialsProvider,
  type CredentialsSource,
  credentialsResolver,
  defaultCredentialsProvider,
} from "./credentials.js";
import {
  checkCredentialsTimeout,
  checkExpiresIn,
  checkOptionsObject,
  checkSigningDate,
} from "./options.js";
import { MAX_EXPIRES_IN, presignToken } from "./presign.js";
import { resolveRegion } from "./region.js";

/** Options of {@link generateToken}. */
export interface GenerateTokenOptions {
  /** AWS region of the endpoint. Default: `AWS_REGION`, `AWS_DEFAULT_REGION`, then the active profile's region. */
  region?: string;
  /**
   * Static credentials or a credential provider.
   * Default: the Node default chain of the optional peer `@aws-sdk/credential-provider-node`
   * (shared by all calls); `MISSING_PEER` when that package is not installed.
   */
  credentials?: CredentialsSource;
  /** Lifetime in whole seconds, 1..43200. Default 43200 (12 hours), as the Python SDK. */
  expiresIn?: number;
  /** The signing instant, for reproducible tokens. Default: now. Milliseconds are ignored. */
  signingDate?: Date;
  /**
   * How long the credential provider may take, in ms, before the call fails with
   * `CREDENTIALS_UNAVAILABLE`. Whole number from 1 to 3,600,000. Default 10,000.
   */
  credentialsTimeoutMs?: number;
}

// One default chain for all generateToken calls, so its cache spares repeated
// credential lookups (files, instance metadata) across mints.
let sharedDefaultChain: AwsCredentialsProvider | undefined;
function sharedDefault(): AwsCredentialsProvider {
  sharedDefaultChain ??= defaultCredentialsProvider();
  return sharedDefaultChain;
}

/**
 * Mints a SageMaker bearer token (`sagemaker-api-key-...`) locally: no network
 * call beyond what the credential provider itself does.
 *
 * All options are validated before anything else happens: `INVALID_EXPIRES_IN`,
 * `INVALID_SIGNING_DATE`, `INVALID_OPTIONS`, `INVALID_REGION`, `REGION_UNRESOLVED`,
 * `INVALID_CREDENTIALS`; then `CREDENTIALS_UNAVAILABLE` if the provider fails
 * or does not answer within `credentialsTimeoutMs`, or `MISSING_PEER` if no
 * `credentials` are given and `@aws-sdk/credential-provider-node` is not installed.
 *
 * The token is a credential: send it only over HTTPS and never log it.
 *
 * @example
 * ```ts
 * import { generateToken } from "sagemaker-openai-agents/auth";
 * const token = await generateToken({ region: "us-west-2", expiresIn: 900 });
 * ```
 */
export async function generateToken(options: GenerateTokenOptions = {}): Promise<string> {
  checkOptionsObject(options, "generateToken");
  const expiresIn =
    options.expiresIn === undefined ? MAX_EXPIRES_IN : checkExpiresIn(options.expiresIn);
  const fixedDate =
    options.signingDate === undefined ? undefined : checkSigningDate(options.signingDate);
  const timeoutMs = checkCredentialsTimeout(options.credentialsTimeoutMs);
  const region = resolveRegion(options.region);
  const credentials = await credentialsResolver(options.credentials, {
    defaultProvider: sharedDefault,
    timeoutMs,
  })();
  return presignToken({
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    region,
    expiresIn,
    date: fixedDate ?? new Date(),
  });
}
