/**
 * Errors the local endpoint throws at its user (never at its HTTP callers,
 * who get JSON responses instead).
 */
import { ConfigurationError, ValidationError } from "../errors.js";

/**
 * The local endpoint's configuration cannot work. Codes:
 * - `LOCAL_CONFIG_INVALID`: the config object or file has a wrong shape or value (the message lists each problem by path);
 * - `LOCAL_CONFIG_FILE`: the config file cannot be read or parsed;
 * - `LOCAL_NON_LOOPBACK`: a non-loopback host without `allowNonLoopback: true`;
 * - `LOCAL_UNKNOWN_TARGET`: a fault or `allowedEndpoints` names an endpoint or component the config does not have;
 * - `LOCAL_LISTEN_FAILED` is a {@link LocalEndpointEnvironmentError} (see there);
 * - `LOCAL_BACKEND_INVALID`: a backend config the backend factory rejects.
 */
export class LocalEndpointConfigError extends ValidationError {}

/**
 * The environment lacks something the local endpoint needs. Codes:
 * `LOCAL_NO_CREDENTIALS` (no credentials in the config and none in the AWS
 * environment variables), `LOCAL_LISTEN_FAILED` (the host/port cannot be bound).
 */
export class LocalEndpointEnvironmentError extends ConfigurationError {}
