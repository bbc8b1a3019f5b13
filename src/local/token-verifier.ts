/**
 * Checks a SageMaker bearer token the way the service does: decode the
 * presigned `CallWithBearerToken` URL, check its parts, its dates and its
 * signing key, then recompute the SigV4 signature and compare in constant time.
 * Successful verifications are cached by the token's SHA-256 until the token
 * expires, so a client reusing a token costs one hash per request.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { sha256 } from "./fast-hash.js";
import type { RefusalReason } from "./refusals.js";
import {
  canonicalRequest,
  EMPTY_PAYLOAD_SHA256,
  SIGV4_ALGORITHM,
  signatureHex,
  signingKey,
  stringToSign,
} from "./sigv4.js";

const TOKEN_PREFIX = "sagemaker-api-key-";
const TOKEN_HOST = "sagemaker.amazonaws.com";
const SERVICE = "sagemaker";
const MAX_EXPIRES_SECONDS = 43_200;
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SIGNATURE = /^[0-9a-f]{64}$/;
/** Values safe to quote back in a message: short, no token characters beyond these. */
const QUOTABLE = /^[A-Za-z0-9._-]{1,64}$/;

/** A credential the local endpoint accepts tokens from. */
export interface AcceptedCredential {
  accessKeyId: string;
  secretAccessKey: string;
  /** When set, tokens must carry exactly this `X-Amz-Security-Token`. */
  sessionToken?: string;
}

/** The verifier's settings. */
export interface TokenVerifierOptions {
  /** The region the endpoints live in; a token scoped to another region is refused. */
  region: string;
  credentials: readonly AcceptedCredential[];
  /** Milliseconds since the epoch; injectable so expiry can be tested without sleeping. */
  clock: () => number;
  /** How many verified tokens to remember (oldest forgotten first). Default 10,000. */
  cacheSize?: number;
}

/** The outcome of checking one `Authorization` header. */
export type VerificationResult =
  | { ok: true; accessKeyId: string }
  | { ok: false; reason: RefusalReason; detail?: string };

interface CachedVerification {
  accessKeyId: string;
  signedAtMs: number;
  expiresAtMs: number;
}

/** Verifies `Authorization: Bearer sagemaker-api-key-...` headers for one local endpoint. */
export class TokenVerifier {
  private readonly _region: string;
  private readonly _credentials: Map<string, AcceptedCredential>;
  private readonly _clock: () => number;
  private readonly _cacheSize: number;
  private readonly _cache = new Map<string, CachedVerification>();
  private readonly _keys = new Map<string, Buffer>();

  constructor(options: TokenVerifierOptions) {
    this._region = options.region;
    this._credentials = new Map(options.credentials.map((c) => [c.accessKeyId, c]));
    this._clock = options.clock;
    this._cacheSize = options.cacheSize ?? 10_000;
  }

  /** Checks an `Authorization` header value (or its absence). */
  verify(authorization: string | undefined): VerificationResult {
    if (authorization === undefined || authorization === "") {
      return { ok: false, reason: "MISSING_AUTHORIZATION" };
    }
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    const token = match?.[1];
    if (token === undefined) return { ok: false, reason: "NOT_BEARER" };

    const hash = sha256(token, "base64");
    const now = this._clock();
    const cached = this._cache.get(hash);
    if (cached !== undefined) {
      if (now <= cached.expiresAtMs && now >= cached.signedAtMs - MAX_CLOCK_SKEW_MS) {
        return { ok: true, accessKeyId: cached.accessKeyId };
      }
      this._cache.delete(hash);
    }
    const result = this._verifyToken(token, now);
    if ("verified" in result) {
      this._remember(hash, result.verified);
      return { ok: true, accessKeyId: result.verified.accessKeyId };
    }
    return result;
  }

  private _remember(hash: string, entry: CachedVerification): void {
    if (this._cache.size >= this._cacheSize) {
      const oldest = this._cache.keys().next().value;
      if (oldest !== undefined) this._cache.delete(oldest);
    }
    this._cache.set(hash, entry);
  }

  private _verifyToken(
    token: string,
    now: number,
  ): { verified: CachedVerification } | { ok: false; reason: RefusalReason; detail?: string } {
    const refuse = (reason: RefusalReason, detail?: string) =>
      detail === undefined
        ? { ok: false as const, reason }
        : { ok: false as const, reason, detail };

    if (!token.startsWith(TOKEN_PREFIX)) return refuse("BAD_TOKEN_PREFIX");
    const encoded = token.slice(TOKEN_PREFIX.length);
    if (encoded === "" || !BASE64.test(encoded)) return refuse("BAD_BASE64");
    const url = Buffer.from(encoded, "base64").toString("latin1");
    // A presigned URL is printable ASCII; anything else was not minted by a SigV4 signer.
    if (!/^[\x21-\x7e]+$/.test(url)) return refuse("MALFORMED_TOKEN", "not printable ASCII");

    const slash = url.indexOf("/");
    const host = slash === -1 ? url : url.slice(0, slash);
    if (host !== TOKEN_HOST) return refuse("WRONG_HOST");
    if (!url.startsWith("/?", slash)) return refuse("MALFORMED_TOKEN", "path is not '/?...'");
    const params = parseQuery(url.slice(slash + 2));
    if (params === undefined) return refuse("MALFORMED_TOKEN", "query string does not parse");

    if (params.get("Action") !== "CallWithBearerToken") return refuse("WRONG_ACTION");
    if (params.get("Version") !== "1") return refuse("UNSUPPORTED_VERSION");
    if (params.get("X-Amz-Algorithm") !== SIGV4_ALGORITHM) return refuse("UNSUPPORTED_ALGORITHM");

    const scope = (params.get("X-Amz-Credential") ?? "").split("/");
    const [accessKeyId, scopeDate, scopeRegion, scopeService, terminator] = scope;
    if (scope.length !== 5 || terminator !== "aws4_request" || accessKeyId === "") {
      return refuse(
        "MALFORMED_TOKEN",
        "X-Amz-Credential is not <key>/<date>/<region>/<service>/aws4_request",
      );
    }
    const amzDate = params.get("X-Amz-Date") ?? "";
    const signedAtMs = parseAmzDate(amzDate);
    if (signedAtMs === undefined)
      return refuse("MALFORMED_TOKEN", "X-Amz-Date is not YYYYMMDDTHHMMSSZ");
    const expiresText = params.get("X-Amz-Expires") ?? "";
    if (!/^\d{1,10}$/.test(expiresText))
      return refuse("MALFORMED_TOKEN", "X-Amz-Expires is not a number");
    if (params.get("X-Amz-SignedHeaders") !== "host") {
      return refuse("MALFORMED_TOKEN", "X-Amz-SignedHeaders is not 'host'");
    }
    const signature = params.get("X-Amz-Signature") ?? "";
    if (!SIGNATURE.test(signature))
      return refuse("MALFORMED_TOKEN", "X-Amz-Signature is not 64 hex digits");

    if (scopeService !== SERVICE)
      return refuse("WRONG_SCOPE_SERVICE", quoted("service", scopeService));
    if (scopeRegion !== this._region) {
      return refuse(
        "WRONG_SCOPE_REGION",
        `${quoted("token region", scopeRegion)}, endpoint region '${this._region}'`,
      );
    }
    if (scopeDate !== amzDate.slice(0, 8)) return refuse("SCOPE_DATE_MISMATCH");
    const expires = Number(expiresText);
    if (expires < 1 || expires > MAX_EXPIRES_SECONDS)
      return refuse("EXPIRES_OUT_OF_RANGE", `X-Amz-Expires=${expires}`);
    if (signedAtMs > now + MAX_CLOCK_SKEW_MS)
      return refuse("TOKEN_FROM_FUTURE", `signed at ${amzDate}`);
    const expiresAtMs = signedAtMs + expires * 1000;
    if (now > expiresAtMs)
      return refuse("TOKEN_EXPIRED", `expired at ${new Date(expiresAtMs).toISOString()}`);

    const credential = accessKeyId === undefined ? undefined : this._credentials.get(accessKeyId);
    if (credential === undefined)
      return refuse("UNKNOWN_ACCESS_KEY", quoted("access key id", accessKeyId));
    if (!sameSessionToken(credential.sessionToken, params.get("X-Amz-Security-Token"))) {
      return refuse("SESSION_TOKEN_MISMATCH");
    }

    const signedQuery = [...params].filter(
      ([name]) => name !== "X-Amz-Signature" && name !== "Version",
    );
    const canonical = canonicalRequest({
      method: "POST",
      path: "/",
      query: signedQuery,
      host: TOKEN_HOST,
      payloadSha256: EMPTY_PAYLOAD_SHA256,
    });
    const scopeText = `${scopeDate}/${scopeRegion}/${SERVICE}/aws4_request`;
    const key = this._signingKey(credential, scopeDate as string);
    const expected = signatureHex(key, stringToSign(amzDate, scopeText, canonical));
    if (!timingSafeEqual(Buffer.from(expected, "latin1"), Buffer.from(signature, "latin1"))) {
      return refuse("SIGNATURE_MISMATCH");
    }
    return { verified: { accessKeyId: credential.accessKeyId, signedAtMs, expiresAtMs } };
  }

  /** Signing keys change once a day per credential; remembering them saves four HMACs. */
  private _signingKey(credential: AcceptedCredential, date: string): Buffer {
    const id = `${credential.accessKeyId}/${date}`;
    let key = this._keys.get(id);
    if (key === undefined) {
      if (this._keys.size >= 1000) this._keys.clear();
      key = signingKey(credential.secretAccessKey, date, this._region, SERVICE);
      this._keys.set(id, key);
    }
    return key;
  }
}

/** Splits `a=b&c=d` into decoded pairs; undefined on a bad escape, a missing `=` or a repeated name. */
function parseQuery(query: string): Map<string, string> | undefined {
  const params = new Map<string, string>();
  for (const pair of query.split("&")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) return undefined;
    let name: string;
    let value: string;
    try {
      name = decodeEscapes(pair.slice(0, eq));
      value = decodeEscapes(pair.slice(eq + 1));
    } catch {
      return undefined;
    }
    if (params.has(name)) return undefined;
    params.set(name, value);
  }
  return params;
}

/**
 * `decodeURIComponent`, skipped for text without a `%` (which it would return
 * unchanged): most parameters of a token carry no escapes, and a fresh token
 * per request makes this the verifier's busiest loop.
 */
function decodeEscapes(text: string): string {
  return text.includes("%") ? decodeURIComponent(text) : text;
}

/** Milliseconds since the epoch for a valid `YYYYMMDDTHHMMSSZ`, else undefined. */
function parseAmzDate(text: string): number | undefined {
  const m = AMZ_DATE.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(ms);
  // Date.UTC rolls 20250231 over to March; a real signer never emits that.
  if (
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined;
  }
  return ms;
}

/** Constant-time comparison of two optional session tokens (hashed first so lengths match). */
function sameSessionToken(expected: string | undefined, actual: string | undefined): boolean {
  if (expected === undefined || actual === undefined) return expected === actual;
  const a = createHash("sha256").update(expected).digest();
  const b = createHash("sha256").update(actual).digest();
  return timingSafeEqual(a, b);
}

function quoted(label: string, value: string | undefined): string {
  return value !== undefined && QUOTABLE.test(value) ? `${label} '${value}'` : `${label} not shown`;
}
