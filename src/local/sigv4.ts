/**
 * The AWS Signature Version 4 steps the local endpoint needs to check a
 * presigned bearer token, written on `node:crypto` alone. It deliberately
 * shares no code with the package's token minting (`src/auth`), so a bug in
 * one cannot be hidden by the same bug in the other; the tests cross-check
 * both against botocore.
 */
import { createHmac } from "node:crypto";
import { sha256 } from "./fast-hash.js";

/** The only algorithm SageMaker bearer tokens use. */
export const SIGV4_ALGORITHM = "AWS4-HMAC-SHA256";

/** SHA-256 of the empty body: the payload hash of a presigned `POST` with no body. */
export const EMPTY_PAYLOAD_SHA256 =
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** Characters SigV4 leaves unencoded (RFC 3986 unreserved). */
const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;

/**
 * Percent-encodes `value` the way SigV4 requires (RFC 3986): only
 * `A-Z a-z 0-9 - _ . ~` stay bare. `encodeURIComponent` also leaves
 * `! ' ( ) *` bare, so those are encoded on top.
 */
export function sigv4Encode(value: string): string {
  // Most token parameters (names, dates, the algorithm, the scope's parts) are unreserved
  // characters only, which encode to themselves: one regex test instead of two string copies.
  if (UNRESERVED.test(value)) return value;
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The canonical query string: every parameter encoded, sorted by encoded name
 * then encoded value (code-unit order equals byte order for encoded ASCII).
 */
export function canonicalQueryString(params: ReadonlyArray<readonly [string, string]>): string {
  const encoded = params.map(([name, value]) => [sigv4Encode(name), sigv4Encode(value)] as const);
  encoded.sort(([nameA, valueA], [nameB, valueB]) =>
    nameA === nameB ? compare(valueA, valueB) : compare(nameA, nameB),
  );
  return encoded.map(([name, value]) => `${name}=${value}`).join("&");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What a canonical request is made of, for a request whose only signed header is `host`. */
export interface PresignedRequestParts {
  method: string;
  path: string;
  /** Every signed query parameter (not `X-Amz-Signature`), decoded. */
  query: ReadonlyArray<readonly [string, string]>;
  host: string;
  payloadSha256: string;
}

/** Builds the SigV4 canonical request for a presigned request that signs `host` only. */
export function canonicalRequest(parts: PresignedRequestParts): string {
  return [
    parts.method,
    parts.path,
    canonicalQueryString(parts.query),
    `host:${parts.host}`,
    "",
    "host",
    parts.payloadSha256,
  ].join("\n");
}

/** Builds the SigV4 string to sign from the timestamp, the credential scope and the canonical request. */
export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [SIGV4_ALGORITHM, amzDate, scope, sha256Hex(canonical)].join("\n");
}

/** Derives the SigV4 signing key: HMAC chain over date, region, service and `aws4_request`. */
export function signingKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Buffer {
  const dateKey = hmac(`AWS4${secretAccessKey}`, date);
  const regionKey = hmac(dateKey, region);
  const serviceKey = hmac(regionKey, service);
  return hmac(serviceKey, "aws4_request");
}

/** The hex signature of `toSign` under `key`. */
export function signatureHex(key: Buffer, toSign: string): string {
  return createHmac("sha256", key).update(toSign, "utf8").digest("hex");
}

/** Lower-case hex SHA-256 of a UTF-8 string. */
export function sha256Hex(text: string): string {
  return sha256(text, "hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}
