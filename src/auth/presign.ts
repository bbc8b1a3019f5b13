/**
 * The SageMaker bearer token algorithm on `node:crypto`: a SigV4 query-string
 * presign of `POST https://sagemaker.amazonaws.com/?Action=CallWithBearerToken`,
 * serialized exactly as botocore's `SigV4QueryAuth` does so that our tokens are
 * byte-identical to the official Python SDK's.
 *
 * This module trusts its input: callers validate region, lifetime, date and
 * credentials first (see `generate-token.ts`).
 */
import { createHash, createHmac } from "node:crypto";

/** Every SageMaker bearer token starts with this. */
export const TOKEN_PREFIX = "sagemaker-api-key-";

/** The global host the token's presigned request is addressed to; it carries no region. */
export const TOKEN_HOST = "sagemaker.amazonaws.com";

/** The longest lifetime the service accepts, in seconds (12 hours). */
export const MAX_EXPIRES_IN = 43_200;

const SERVICE = "sagemaker";
const ALGORITHM = "AWS4-HMAC-SHA256";
// SHA-256 of the empty body: the presigned request is a POST without payload.
const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** What one presign needs; everything already validated. */
export interface PresignInput {
  accessKeyId: string;
  secretAccessKey: string;
  /** Absent or empty: no `X-Amz-Security-Token` parameter. */
  sessionToken?: string | undefined;
  region: string;
  /** Whole seconds, 1..43200. */
  expiresIn: number;
  /** Only whole seconds count; the milliseconds are dropped as botocore does. */
  date: Date;
}

/**
 * Percent-encodes as botocore's `percent_encode` does: only `A-Z a-z 0-9 - _ . ~`
 * stay bare. `encodeURIComponent` also leaves `! ' ( ) *` bare, so those are fixed up.
 */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `YYYYMMDDTHHMMSSZ` in UTC, the SigV4 timestamp format. */
export function toAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

// Deriving the signing key costs four HMACs, more than the rest of a mint. It
// depends only on secret, day and region, so a mint for the same identity
// reuses it. Bounded so a process minting for many identities cannot grow it forever.
const SIGNING_KEY_CACHE_SIZE = 32;
const signingKeys = new Map<string, Buffer>();

function signingKey(secretAccessKey: string, shortDate: string, region: string): Buffer {
  const cacheKey = `${shortDate}/${region}/${secretAccessKey}`;
  const cached = signingKeys.get(cacheKey);
  if (cached !== undefined) {
    return cached;
  }
  const kDate = createHmac("sha256", `AWS4${secretAccessKey}`).update(shortDate).digest();
  const kRegion = createHmac("sha256", kDate).update(region).digest();
  const kService = createHmac("sha256", kRegion).update(SERVICE).digest();
  const key = createHmac("sha256", kService).update("aws4_request").digest();
  if (signingKeys.size >= SIGNING_KEY_CACHE_SIZE) {
    const oldest = signingKeys.keys().next().value;
    if (oldest !== undefined) {
      signingKeys.delete(oldest);
    }
  }
  signingKeys.set(cacheKey, key);
  return key;
}

/**
 * Mints a SageMaker bearer token: `sagemaker-api-key-` + base64 of the
 * presigned URL without its scheme, with `&Version=1` appended.
 */
export function presignToken(input: PresignInput): string {
  const amzDate = toAmzDate(input.date);
  const shortDate = amzDate.slice(0, 8);
  const scope = `${shortDate}/${input.region}/${SERVICE}/aws4_request`;
  const head =
    `Action=CallWithBearerToken&X-Amz-Algorithm=${ALGORITHM}` +
    `&X-Amz-Credential=${encodeRfc3986(`${input.accessKeyId}/${scope}`)}` +
    `&X-Amz-Date=${amzDate}&X-Amz-Expires=${input.expiresIn}`;
  const securityToken =
    input.sessionToken === undefined || input.sessionToken === ""
      ? ""
      : `&X-Amz-Security-Token=${encodeRfc3986(input.sessionToken)}`;

  // The canonical query string sorts parameters by name, which puts the security
  // token before SignedHeaders; the URL keeps botocore's insertion order instead.
  const canonicalRequest =
    `POST\n/\n${head}${securityToken}&X-Amz-SignedHeaders=host\n` +
    `host:${TOKEN_HOST}\n\nhost\n${EMPTY_BODY_SHA256}`;
  const stringToSign =
    `${ALGORITHM}\n${amzDate}\n${scope}\n` +
    createHash("sha256").update(canonicalRequest).digest("hex");
  const signature = createHmac("sha256", signingKey(input.secretAccessKey, shortDate, input.region))
    .update(stringToSign)
    .digest("hex");

  const url =
    `${TOKEN_HOST}/?${head}&X-Amz-SignedHeaders=host${securityToken}` +
    `&X-Amz-Signature=${signature}&Version=1`;
  return TOKEN_PREFIX + Buffer.from(url, "utf8").toString("base64");
}
