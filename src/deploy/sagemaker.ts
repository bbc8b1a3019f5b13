/**
 * The only module that touches `@aws-sdk/client-sagemaker` at run time. It is
 * imported lazily, so loading the package (or a dry run) does not pay for it.
 */
import type { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { lazyOptionalPeer } from "../optional-peer.js";
import { DeploymentError, DeploymentPlanError } from "./errors.js";
import type { DeploymentRecord } from "./record.js";
import { maskSecretValues } from "./secrets.js";
import type { CreateCall, DeleteCall } from "./steps.js";

type SageMakerSdk = typeof import("@aws-sdk/client-sagemaker");

/**
 * The range of the optional peer `@aws-sdk/client-sagemaker`. Only a real deploy or clean-up
 * needs it, so an app that only calls models does not install its 14 MB.
 */
export const SAGEMAKER_CLIENT_PEER_RANGE = "^3.1142.0";

const loadSdk: () => Promise<SageMakerSdk> = lazyOptionalPeer({
  packageName: "@aws-sdk/client-sagemaker",
  range: SAGEMAKER_CLIENT_PEER_RANGE,
  neededBy: "Deploying or cleaning up a SageMaker endpoint",
  load: () => import("@aws-sdk/client-sagemaker"),
});

/**
 * The client to use: the caller's (checked to be in `region`, so a record never
 * names resources in a region it was not created in), or a new one for `region`
 * with the default credential chain.
 */
export async function sageMakerClientFor(
  region: string,
  client: SageMakerClient | undefined,
): Promise<SageMakerClient> {
  if (client === undefined) {
    const { SageMakerClient } = await loadSdk();
    return new SageMakerClient({ region });
  }
  const clientRegion = await client.config.region().catch(() => undefined);
  if (clientRegion !== region) {
    throw new DeploymentPlanError(
      "INVALID_PLAN",
      `The SageMaker client is configured for ${clientRegion ?? "no region"} but the plan or record says ${region}; make them match.`,
    );
  }
  return client;
}

/** Whether SageMaker says the resource does not exist. */
export function isNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // DescribeX/DeleteX answer ValidationException "Could not find ..." (as does moto);
  // newer operations answer ResourceNotFound.
  return (
    error.name === "ResourceNotFound" ||
    (error.name === "ValidationException" && /could not find/i.test(error.message))
  );
}

function hint(error: Error): string {
  if (error.name === "CredentialsProviderError") {
    return " Configure AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).";
  }
  if (/AccessDenied|UnrecognizedClient|ExpiredToken|InvalidClientTokenId/.test(error.name)) {
    return " Check that your credentials are current and allowed to call this operation (see the IAM section of docs/deploy.md).";
  }
  return "";
}

/**
 * Wraps anything a SageMaker call throws into a `SAGEMAKER_CALL_FAILED` error.
 * `environment` is the container environment the call sent, if any: its
 * secret-looking values are masked in the message, and an error that quoted
 * one is not kept as `cause` (it would print the value).
 */
export function callFailed(
  operation: string,
  error: unknown,
  record: DeploymentRecord | undefined,
  environment?: Readonly<Record<string, string>>,
): DeploymentError {
  const e = error instanceof Error ? error : new Error(String(error));
  const said = `${e.name}: ${e.message}`;
  const masked = maskSecretValues(said, environment);
  return new DeploymentError(
    "SAGEMAKER_CALL_FAILED",
    `SageMaker ${operation} failed: ${masked}.${hint(e)}`,
    {
      ...(masked === said && { cause: error }),
      operation,
      ...(record && { record: structuredClone(record) }),
    },
  );
}

/** Sends one create or delete call. Errors are the SDK's own; callers classify them. */
export async function send(client: SageMakerClient, call: CreateCall | DeleteCall): Promise<void> {
  const s = await loadSdk();
  switch (call.operation) {
    case "CreateModel":
      await client.send(new s.CreateModelCommand(call.input));
      return;
    case "CreateEndpointConfig":
      await client.send(new s.CreateEndpointConfigCommand(call.input));
      return;
    case "CreateEndpoint":
      await client.send(new s.CreateEndpointCommand(call.input));
      return;
    case "CreateInferenceComponent":
      await client.send(new s.CreateInferenceComponentCommand(call.input));
      return;
    case "DeleteInferenceComponent":
      await client.send(new s.DeleteInferenceComponentCommand(call.input));
      return;
    case "DeleteEndpoint":
      await client.send(new s.DeleteEndpointCommand(call.input));
      return;
    case "DeleteEndpointConfig":
      await client.send(new s.DeleteEndpointConfigCommand(call.input));
      return;
    case "DeleteModel":
      await client.send(new s.DeleteModelCommand(call.input));
      return;
  }
}

/** A resource's status as SageMaker reports it. */
export interface ResourceStatus {
  status: string;
  failureReason: string | undefined;
}

/** `DescribeEndpoint` or `DescribeInferenceComponent`, reduced to status and failure reason. */
export async function describeStatus(
  client: SageMakerClient,
  call:
    | { operation: "DescribeEndpoint"; input: { EndpointName: string } }
    | { operation: "DescribeInferenceComponent"; input: { InferenceComponentName: string } },
): Promise<ResourceStatus> {
  const s = await loadSdk();
  if (call.operation === "DescribeEndpoint") {
    const out = await client.send(new s.DescribeEndpointCommand(call.input));
    return { status: out.EndpointStatus ?? "Unknown", failureReason: out.FailureReason };
  }
  const out = await client.send(new s.DescribeInferenceComponentCommand(call.input));
  return { status: out.InferenceComponentStatus ?? "Unknown", failureReason: out.FailureReason };
}
