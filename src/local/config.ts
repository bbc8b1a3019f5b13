/**
 * The local endpoint's configuration: its shape (checked with zod, so a JSON
 * or YAML file gets the same checks as an object), its defaults, and its
 * resolution into what the server runs on (credentials, endpoint table).
 */
import { z } from "zod";
import { SAGEMAKER_NAME_PATTERN } from "../addressing/names.js";
import { isValidRegion } from "../addressing/region.js";
import type { ChatBackend } from "./backend.js";
import type { BuiltInBackendConfig } from "./backends/index.js";
import { LocalEndpointConfigError, LocalEndpointEnvironmentError } from "./errors.js";
import { type FaultSpec, faultSpecSchema } from "./faults.js";

/**
 * A backend: either a config the built-in factory builds (`{ type: "demo", ... }`,
 * `{ type: "proxy", url, ... }`), or a {@link ChatBackend} object you built yourself.
 */
export type BackendConfig = ChatBackend | BuiltInBackendConfig;

/** One inference component of an endpoint. */
export interface ComponentConfig {
  backend: BackendConfig;
}

/** An endpoint: either one model (`backend`) or named inference components (`inferenceComponents`). */
export type EndpointConfig =
  | { backend: BackendConfig; inferenceComponents?: undefined }
  | { inferenceComponents: Record<string, ComponentConfig>; backend?: undefined };

/** A credential whose tokens the endpoint accepts. */
export interface CredentialConfig {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials: tokens must carry this session token. */
  sessionToken?: string;
  /**
   * The endpoints this key may invoke (IAM's `sagemaker:InvokeEndpoint` on the
   * endpoint ARNs); any other endpoint answers 403. All endpoints when omitted.
   */
  allowedEndpoints?: string[];
}

/** Everything `startLocalEndpoint` accepts; also the shape of a config file (minus `clock` and object backends). */
export interface LocalEndpointConfig {
  /** The endpoints' region; tokens must be scoped to it. Default `AWS_REGION`, `AWS_DEFAULT_REGION`, else `us-west-2`. */
  region?: string;
  /** Accepted credentials. Default: the AWS environment variables (`AWS_ACCESS_KEY_ID`, ...). */
  credentials?: CredentialConfig[];
  /** Endpoints by name (SageMaker's name rule: letters, digits, hyphens, 1-63). */
  endpoints: Record<string, EndpointConfig>;
  /** Faults active from the start. */
  faults?: FaultSpec[];
  /** Interface to listen on. Default `127.0.0.1`; anything not loopback needs `allowNonLoopback`. */
  host?: string;
  /** Port to listen on. Default 0 (a free port). */
  port?: number;
  /** Allows a non-loopback `host` (a warning is printed on stderr). */
  allowNonLoopback?: boolean;
  /** Also append every access log entry as a JSON line to this file. */
  accessLogFile?: string;
  /** How many access log entries `requests` keeps (oldest dropped). Default 10,000. */
  maxLoggedRequests?: number;
  /** Largest accepted request body in bytes; a larger one gets 413. Default 25 MiB. */
  maxBodyBytes?: number;
  /**
   * Request body bytes all requests together may hold in memory at once
   * (counted from the moment a body is read until its response ends). A
   * request that would go past it gets 503 `BODY_BUFFER_FULL` with
   * `Retry-After: 1` and its connection is closed, its body unread. Must be at
   * least `maxBodyBytes`. Default: 64 MiB, or `maxBodyBytes` if that is larger.
   */
  maxBufferedBodyBytes?: number;
  /**
   * Open TCP connections served at once. A request on a connection opened past
   * it gets 503 `TOO_MANY_CONNECTIONS` with `Retry-After: 1`, and the
   * connection is closed; past twice this many, new connections are closed at
   * once without an answer. Default 2048.
   */
  maxConnections?: number;
  /**
   * Milliseconds a connection may take to send a request's headers, from its
   * first byte (or from connecting); past it the answer is 408 and the
   * connection is closed, so half-open connections cannot pile up. Checked
   * every quarter of this (at most every second). Default 10,000.
   */
  headersTimeoutMs?: number;
  /**
   * Milliseconds a connection may take to send a whole request, headers and
   * body; past it the answer is 408 and the connection is closed. At least
   * `headersTimeoutMs`. Responses (streams included) are not limited. Default
   * 30,000, or `headersTimeoutMs` if that is larger.
   */
  requestTimeoutMs?: number;
  /** Milliseconds since the epoch, for token expiry checks. Default `Date.now`. */
  clock?: () => number;
}

/**
 * An access key id as IAM defines it (word characters, at most 128). Looser
 * than real keys (`AKIA...`, 20 characters) so tests can use `AKIDEXAMPLE`;
 * no `/`, which would break the token's credential scope.
 */
const ACCESS_KEY_ID_PATTERN = /^\w{1,128}$/;

/** Default largest request body: SageMaker's 25 MB payload limit. */
export const DEFAULT_MAX_BODY_BYTES = 25 * 1024 * 1024;

/** Default of `maxBufferedBodyBytes` (when `maxBodyBytes` is not larger): two full-size bodies and change. */
export const DEFAULT_MAX_BUFFERED_BODY_BYTES = 64 * 1024 * 1024;

/** Default of `maxConnections`: above the 1,000 concurrent streams the bench drives. */
export const DEFAULT_MAX_CONNECTIONS = 2048;

/** Default of `headersTimeoutMs`. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;

/** Default of `requestTimeoutMs`. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The connection and memory limits a config resolves to, defaults filled in. */
export interface ResolvedLimits {
  maxBodyBytes: number;
  maxBufferedBodyBytes: number;
  maxConnections: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

/** Fills in the defaults of the connection and memory limits (the config is already validated). */
export function resolveLimits(config: LocalEndpointConfig): ResolvedLimits {
  const maxBodyBytes = config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const headersTimeoutMs = config.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  return {
    maxBodyBytes,
    maxBufferedBodyBytes:
      config.maxBufferedBodyBytes ?? Math.max(DEFAULT_MAX_BUFFERED_BODY_BYTES, maxBodyBytes),
    maxConnections: config.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    headersTimeoutMs,
    requestTimeoutMs:
      config.requestTimeoutMs ?? Math.max(DEFAULT_REQUEST_TIMEOUT_MS, headersTimeoutMs),
  };
}

const nameSchema = z
  .string()
  .regex(
    SAGEMAKER_NAME_PATTERN,
    "must be 1-63 letters, digits or hyphens, not starting or ending with a hyphen",
  );

function isChatBackend(value: unknown): value is ChatBackend {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { complete?: unknown }).complete === "function"
  );
}

const backendSchema = z.union([
  z.custom<ChatBackend>(isChatBackend),
  z.looseObject({ type: z.string().min(1) }),
]);

const endpointSchema = z
  .strictObject({
    backend: backendSchema.optional(),
    inferenceComponents: z
      .record(nameSchema, z.strictObject({ backend: backendSchema }))
      .refine((ics) => Object.keys(ics).length > 0, "needs at least one inference component")
      .optional(),
  })
  .refine(
    (ep) => (ep.backend === undefined) !== (ep.inferenceComponents === undefined),
    "needs exactly one of `backend` (a single-model endpoint) or `inferenceComponents`",
  );

const configSchema = z.strictObject({
  region: z
    .string()
    .refine(isValidRegion, "must be an AWS region name such as us-west-2")
    .optional(),
  credentials: z
    .array(
      z.strictObject({
        accessKeyId: z.string().regex(ACCESS_KEY_ID_PATTERN, "must be letters, digits or _"),
        secretAccessKey: z.string().min(1),
        sessionToken: z.string().min(1).optional(),
        allowedEndpoints: z.array(nameSchema).optional(),
      }),
    )
    .min(1)
    .optional(),
  endpoints: z
    .record(nameSchema, endpointSchema)
    .refine((eps) => Object.keys(eps).length > 0, "needs at least one endpoint"),
  faults: z.array(faultSpecSchema).optional(),
  host: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65_535).optional(),
  allowNonLoopback: z.boolean().optional(),
  accessLogFile: z.string().min(1).optional(),
  maxLoggedRequests: z.number().int().min(1).optional(),
  maxBodyBytes: z.number().int().min(1).optional(),
  maxBufferedBodyBytes: z.number().int().min(1).optional(),
  maxConnections: z.number().int().min(1).optional(),
  // Node's timers take at most 2^31-1 ms.
  headersTimeoutMs: z.number().int().min(1).max(2_147_483_647).optional(),
  requestTimeoutMs: z.number().int().min(1).max(2_147_483_647).optional(),
  clock: z.custom<() => number>((value) => typeof value === "function").optional(),
});

/**
 * Checks a config's shape and values, throwing {@link LocalEndpointConfigError}
 * (`LOCAL_CONFIG_INVALID`) that lists every problem with its path.
 */
export function validateLocalEndpointConfig(
  input: unknown,
  source = "the config",
): LocalEndpointConfig {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = issue.path.map(String).join(".");
      return `  - ${path === "" ? "(top level)" : path}: ${issue.message}`;
    });
    throw new LocalEndpointConfigError(
      "LOCAL_CONFIG_INVALID",
      `Invalid local endpoint config in ${source}:\n${problems.join("\n")}`,
    );
  }
  const config = parsed.data as LocalEndpointConfig;
  checkLimitPairs(config, source);
  for (const [index, fault] of (config.faults ?? []).entries()) {
    checkFaultTarget(config, fault, `faults.${index}`);
  }
  for (const [index, credential] of (config.credentials ?? []).entries()) {
    for (const endpoint of credential.allowedEndpoints ?? []) {
      if (config.endpoints[endpoint] === undefined) {
        throw new LocalEndpointConfigError(
          "LOCAL_UNKNOWN_TARGET",
          `credentials.${index}.allowedEndpoints names "${endpoint}", which is not in endpoints.`,
        );
      }
    }
  }
  return config;
}

/** Limits that only make sense together: a body cap the buffer can hold, a request timeout the headers fit in. */
function checkLimitPairs(config: LocalEndpointConfig, source: string): void {
  const problems: string[] = [];
  const { maxBodyBytes, maxBufferedBodyBytes, headersTimeoutMs, requestTimeoutMs } = config;
  if (
    maxBufferedBodyBytes !== undefined &&
    maxBufferedBodyBytes < (maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)
  ) {
    problems.push(
      `  - maxBufferedBodyBytes: must be at least maxBodyBytes (${maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES}), ` +
        "or the largest accepted body could never be read",
    );
  }
  if (
    requestTimeoutMs !== undefined &&
    requestTimeoutMs < (headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS)
  ) {
    problems.push(
      `  - requestTimeoutMs: must be at least headersTimeoutMs (${headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS}), ` +
        "as the whole request includes its headers",
    );
  }
  if (problems.length > 0) {
    throw new LocalEndpointConfigError(
      "LOCAL_CONFIG_INVALID",
      `Invalid local endpoint config in ${source}:\n${problems.join("\n")}`,
    );
  }
}

/** Throws `LOCAL_UNKNOWN_TARGET` unless the fault's endpoint (and component) exist. */
export function checkFaultTarget(
  config: Pick<LocalEndpointConfig, "endpoints">,
  fault: FaultSpec,
  where = "the fault",
): void {
  const endpoint = config.endpoints[fault.endpoint];
  if (endpoint === undefined) {
    throw new LocalEndpointConfigError(
      "LOCAL_UNKNOWN_TARGET",
      `${where} targets endpoint "${fault.endpoint}", which is not configured.`,
    );
  }
  if (
    fault.component !== undefined &&
    endpoint.inferenceComponents?.[fault.component] === undefined
  ) {
    throw new LocalEndpointConfigError(
      "LOCAL_UNKNOWN_TARGET",
      `${where} targets inference component "${fault.component}", which endpoint "${fault.endpoint}" does not have.`,
    );
  }
}

/** The region from the config, else `AWS_REGION`, `AWS_DEFAULT_REGION`, else `us-west-2`. */
export function resolveRegion(
  config: LocalEndpointConfig,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (config.region !== undefined) return config.region;
  for (const name of ["AWS_REGION", "AWS_DEFAULT_REGION"] as const) {
    const value = env[name];
    if (value !== undefined && value !== "") {
      if (!isValidRegion(value)) {
        throw new LocalEndpointConfigError(
          "LOCAL_CONFIG_INVALID",
          `The ${name} environment variable is not an AWS region name such as us-west-2.`,
        );
      }
      return value;
    }
  }
  return "us-west-2";
}

/**
 * The credentials from the config, else the ones the AWS environment variables
 * hold, so a client using the default credential chain and the local endpoint
 * agree with no setup. Throws `LOCAL_NO_CREDENTIALS` when there are none.
 */
export function resolveCredentials(
  config: LocalEndpointConfig,
  env: NodeJS.ProcessEnv = process.env,
): CredentialConfig[] {
  if (config.credentials !== undefined) return config.credentials;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  const sessionToken = env.AWS_SESSION_TOKEN;
  if (!accessKeyId || !secretAccessKey) {
    throw new LocalEndpointEnvironmentError(
      "LOCAL_NO_CREDENTIALS",
      "The local endpoint has no credentials to accept tokens from: pass `credentials: [{ accessKeyId, " +
        "secretAccessKey }]` in its config, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY " +
        "(and AWS_SESSION_TOKEN for temporary credentials) in the environment.",
    );
  }
  if (!ACCESS_KEY_ID_PATTERN.test(accessKeyId)) {
    throw new LocalEndpointConfigError(
      "LOCAL_CONFIG_INVALID",
      "The AWS_ACCESS_KEY_ID environment variable is not an access key id (letters, digits or _).",
    );
  }
  return [
    sessionToken
      ? { accessKeyId, secretAccessKey, sessionToken }
      : { accessKeyId, secretAccessKey },
  ];
}

/** Whether a config backend is an object the user built rather than a config to build from. */
export { isChatBackend };
