/**
 * `sagemakerOpenAIBaseURL`: the OpenAI SDK `baseURL` of a SageMaker endpoint
 * or inference component, built with `URL` from validated parts only.
 */
import { ValidationError } from "../errors.js";
import { assertResourceName } from "./names.js";
import { assertRegion, regionDnsSuffix } from "./region.js";
import { assertSafeBaseURL } from "./safe-url.js";

/** Options of {@link sagemakerOpenAIBaseURL}. */
export interface SageMakerOpenAIBaseURLOptions {
  /** AWS region of the endpoint, e.g. `us-west-2`. Validated even when `baseURL` is given. */
  region: string;
  /** The SageMaker endpoint name. */
  endpointName: string;
  /** An inference component on that endpoint; requests then go to that component. */
  inferenceComponentName?: string;
  /**
   * Replaces `https://runtime.sagemaker.<region>.<suffix>` (a VPC interface
   * endpoint, the local endpoint). With no path (`https://vpce-...amazonaws.com`,
   * `http://127.0.0.1:8080`) the endpoint / component path is appended; with a
   * path it is taken as the complete OpenAI base URL. Must be `https:`, or
   * `http:` to a loopback host.
   */
  baseURL?: string | URL;
  /** Permit a plain-`http:` `baseURL` to a non-loopback host. Default false. */
  allowInsecureHttp?: boolean;
}

/**
 * The path, below the runtime host, of an endpoint's or component's
 * OpenAI-compatible API: `/endpoints/<endpoint>[/inference-components/<ic>]/openai/v1`.
 * Names are validated (`INVALID_ENDPOINT_NAME`, `INVALID_INFERENCE_COMPONENT_NAME`).
 */
export function sagemakerOpenAIPath(endpointName: string, inferenceComponentName?: string): string {
  const endpoint = assertResourceName(endpointName, "endpointName");
  const component =
    inferenceComponentName === undefined
      ? ""
      : `/inference-components/${assertResourceName(inferenceComponentName, "inferenceComponentName")}`;
  return `/endpoints/${endpoint}${component}/openai/v1`;
}

/**
 * The SageMaker runtime host of `region`: `runtime.sagemaker.<region>.amazonaws.com`,
 * `.amazonaws.com.cn` in China, the partition's suffix in isolated regions.
 */
export function sagemakerRuntimeHost(region: string): string {
  return `runtime.sagemaker.${assertRegion(region)}.${regionDnsSuffix(region)}`;
}

/**
 * Builds the base URL to give the OpenAI SDK for a SageMaker endpoint or
 * inference component, e.g.
 * `https://runtime.sagemaker.us-west-2.amazonaws.com/endpoints/my-ep/inference-components/my-ic/openai/v1`.
 *
 * Every part is validated first and the result is never built from an
 * unchecked string: `INVALID_REGION`, `INVALID_ENDPOINT_NAME`,
 * `INVALID_INFERENCE_COMPONENT_NAME`, `INVALID_BASE_URL`, `INSECURE_BASE_URL`.
 *
 * @example
 * ```ts
 * const baseURL = sagemakerOpenAIBaseURL({ region: "us-west-2", endpointName: "my-endpoint" });
 * // https://runtime.sagemaker.us-west-2.amazonaws.com/endpoints/my-endpoint/openai/v1
 * ```
 */
export function sagemakerOpenAIBaseURL(options: SageMakerOpenAIBaseURLOptions): string {
  if (typeof options !== "object" || options === null) {
    throw new ValidationError(
      "INVALID_OPTIONS",
      "sagemakerOpenAIBaseURL takes an options object { region, endpointName, inferenceComponentName? }.",
    );
  }
  const host = sagemakerRuntimeHost(options.region);
  const path = sagemakerOpenAIPath(options.endpointName, options.inferenceComponentName);
  if (options.baseURL !== undefined) {
    const base = assertSafeBaseURL(options.baseURL, {
      allowInsecureHttp: options.allowInsecureHttp === true,
    });
    return new URL(base).pathname === "/" ? `${base}${path}` : base;
  }
  const url = new URL(`https://${host}${path}`);
  // Defence in depth: the validated parts cannot move the host or path, and this proves it.
  if (url.hostname !== host || url.pathname !== path) {
    throw new ValidationError("INVALID_REGION", "The region or names did not yield a clean URL.");
  }
  return url.href;
}
