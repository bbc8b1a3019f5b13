/**
 * `decodeToken`: what a SageMaker bearer token says about itself (region,
 * access key id, validity window), for debugging "why is my token rejected?".
 * It reads, it does not verify: the signature is only checked for shape, and
 * neither it nor the session token is ever returned.
 */
import { isValidRegion } from "../addressing/region.js";
import { MalformedTokenError } from "./errors.js";
import { MAX_EXPIRES_IN, TOKEN_HOST, TOKEN_PREFIX } from "./presign.js";

/** The readable parts of a SageMaker bearer token. */
export interface DecodedToken {
  /** Region of the credential scope; the token only works for endpoints there. */
  region: string;
  /** Access key id of the credentials that signed it (not a secret). */
  accessKeyId: string;
  /** `X-Amz-Date`: when it was signed (whole seconds). */
  signedAt: Date;
  /** `signedAt + X-Amz-Expires`. The service also stops accepting it when the signing credentials expire. */
  expiresAt: Date;
  /** Whether it was signed with temporary credentials (carries `X-Amz-Security-Token`). */
  hasSessionToken: boolean;
}

// A generous bound: the longest session tokens in use are a few KB and survive
// percent-encoding and base64 well within it.
const MAX_TOKEN_LENGTH = 65_536;

const FIXED_PARAMS: ReadonlyMap<string, string> = new Map([
  ["Action", "CallWithBearerToken"],
  ["X-Amz-Algorithm", "AWS4-HMAC-SHA256"],
  ["X-Amz-SignedHeaders", "host"],
  ["Version", "1"],
]);
const REQUIRED_PARAMS = [
  ...FIXED_PARAMS.keys(),
  "X-Amz-Credential",
  "X-Amz-Date",
  "X-Amz-Expires",
  "X-Amz-Signature",
];
const KNOWN_PARAMS = new Set([...REQUIRED_PARAMS, "X-Amz-Security-Token"]);

function fail(reason: string): never {
  throw new MalformedTokenError(reason);
}

function base64Body(token: string): string {
  const body = token.slice(TOKEN_PREFIX.length);
  if (body.length === 0 || body.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
    fail("the part after the prefix is not standard padded base64");
  }
  const bytes = Buffer.from(body, "base64");
  if (bytes.toString("base64") !== body) {
    fail("the part after the prefix is not canonical base64");
  }
  const url = bytes.toString("latin1");
  if (!/^[\x21-\x7e]+$/.test(url)) {
    fail("the decoded presigned URL contains bytes that are not printable ASCII");
  }
  return url;
}

function queryParams(url: string): Map<string, string> {
  const start = `${TOKEN_HOST}/?`;
  if (!url.startsWith(start)) {
    fail(`the presigned URL is not addressed to ${start}`);
  }
  const params = new Map<string, string>();
  for (const pair of url.slice(start.length).split("&")) {
    const equals = pair.indexOf("=");
    const name = equals > 0 ? pair.slice(0, equals) : "";
    if (!KNOWN_PARAMS.has(name)) {
      fail(`the presigned URL has an unexpected query parameter "${name.slice(0, 40)}"`);
    }
    if (params.has(name)) {
      fail(`the presigned URL repeats ${name}`);
    }
    params.set(name, pair.slice(equals + 1));
  }
  for (const name of REQUIRED_PARAMS) {
    if (!params.has(name)) {
      fail(`the presigned URL has no ${name}`);
    }
  }
  for (const [name, expected] of FIXED_PARAMS) {
    if (params.get(name) !== expected) {
      fail(`${name} must be ${expected}`);
    }
  }
  return params;
}

function percentDecode(value: string, name: string): string {
  if (!/^(?:[A-Za-z0-9\-_.~]|%[0-9A-Fa-f]{2})*$/.test(value)) {
    fail(`${name} is not percent-encoded`);
  }
  try {
    return decodeURIComponent(value);
  } catch {
    return fail(`${name} does not decode to UTF-8 text`);
  }
}

function parseAmzDate(value: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (match === null) {
    fail("X-Amz-Date is not of the form YYYYMMDDTHHMMSSZ");
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 2024-02-30 over into March; a real timestamp survives the round trip.
  const roundTrip = date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  if (year < 1970 || roundTrip !== value) {
    fail("X-Amz-Date is not a valid UTC timestamp");
  }
  return date;
}

/**
 * Reads a SageMaker bearer token. Returns the region, access key id, signing
 * and expiry instants, and whether a session token is present; never the
 * signature or the session token.
 *
 * Throws {@link MalformedTokenError} (code `MALFORMED_TOKEN`) for anything that is
 * not a well-formed token: wrong prefix, bad base64, wrong host or action,
 * missing, repeated or unknown parameters, malformed scope, date or lifetime.
 * The message says which, and never repeats the token.
 */
export function decodeToken(token: string): DecodedToken {
  if (typeof token !== "string") {
    fail(`expected a string, got ${token === null ? "null" : `a ${typeof token}`}`);
  }
  if (token.length > MAX_TOKEN_LENGTH) {
    fail(`it is longer than ${MAX_TOKEN_LENGTH} characters`);
  }
  if (!token.startsWith(TOKEN_PREFIX)) {
    fail(`it lacks the "${TOKEN_PREFIX.slice(0, -1)}" prefix`);
  }
  const params = queryParams(base64Body(token));
  const get = (name: string): string => params.get(name) ?? "";

  const scope = percentDecode(get("X-Amz-Credential"), "X-Amz-Credential").split("/");
  // The access key id may itself contain "/", so the scope is read from the right.
  const [shortDate, region, service, terminator] = scope.slice(-4);
  const accessKeyId = scope.slice(0, -4).join("/");
  if (scope.length < 5 || accessKeyId === "") {
    fail("X-Amz-Credential is not <access key id>/<date>/<region>/sagemaker/aws4_request");
  }
  if (service !== "sagemaker" || terminator !== "aws4_request") {
    fail("the credential scope is not for the sagemaker service");
  }
  if (!isValidRegion(region)) {
    fail("the credential scope's region is not an AWS region name");
  }
  const amzDate = get("X-Amz-Date");
  const signedAt = parseAmzDate(amzDate);
  if (shortDate !== amzDate.slice(0, 8)) {
    fail("the credential scope's date differs from X-Amz-Date");
  }
  const expires = get("X-Amz-Expires");
  if (!/^[1-9][0-9]{0,4}$/.test(expires) || Number(expires) > MAX_EXPIRES_IN) {
    fail(`X-Amz-Expires is not a whole number of seconds from 1 to ${MAX_EXPIRES_IN}`);
  }
  if (!/^[0-9a-f]{64}$/.test(get("X-Amz-Signature"))) {
    fail("X-Amz-Signature is not 64 lower-case hex digits");
  }
  const sessionToken = params.get("X-Amz-Security-Token");
  if (sessionToken !== undefined) {
    if (sessionToken === "") {
      fail("X-Amz-Security-Token is empty");
    }
    percentDecode(sessionToken, "X-Amz-Security-Token");
  }
  return {
    region,
    accessKeyId,
    signedAt,
    expiresAt: new Date(signedAt.getTime() + Number(expires) * 1000),
    hasSessionToken: sessionToken !== undefined,
  };
}
