/**
 * "Real SageMaker if configured, else the local endpoint": the switch every
 * example and offline demo needs, so that each can read as the thing it shows.
 */
import { defaultLocalEndpointConfig } from "./default-config.js";
import { type LocalEndpoint, startLocalEndpoint } from "./server.js";

/**
 * AWS's documented example key pair. Tokens signed with it are well formed,
 * the local endpoint accepts them, and no AWS account does.
 */
export const DEMO_CREDENTIALS: { readonly accessKeyId: string; readonly secretAccessKey: string } =
  Object.freeze({
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  });

/** The region the local endpoint is started in. */
const LOCAL_REGION = "us-west-2";

/** Where to send requests: spread `connection` into a client's, model's or provider's options. */
export interface SageMakerOrLocalEndpoint {
  /**
   * Against SageMaker, `endpointName` alone (region and credentials come from
   * the AWS environment); against the local endpoint, also its `region`,
   * `baseURL` and the {@link DEMO_CREDENTIALS}.
   */
  connection: {
    endpointName: string;
    region?: string;
    baseURL?: string;
    credentials?: { accessKeyId: string; secretAccessKey: string };
  };
  /** The local endpoint when one was started (for its request log), else `undefined`. */
  local: LocalEndpoint | undefined;
  /** One line for the user: which endpoint this is, and that a local one calls no AWS. */
  description: string;
  /** Stops the local endpoint, if one was started. */
  close(): Promise<void>;
}

/** Options of {@link sagemakerOrLocalEndpoint}. */
export interface SageMakerOrLocalEndpointOptions {
  /**
   * Which endpoint of {@link defaultLocalEndpointConfig} to use when starting
   * locally: `demo` (a single model) or `agents` (components `coder` and `reviewer`).
   */
  localEndpointName: "demo" | "agents";
  /** Where `SAGEMAKER_ENDPOINT_NAME` is read. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * With `SAGEMAKER_ENDPOINT_NAME` set, that SageMaker endpoint; without it,
 * starts the local endpoint on a free loopback port (the default config's demo
 * model, {@link DEMO_CREDENTIALS}, no AWS calls). Call `close()` when done.
 */
export async function sagemakerOrLocalEndpoint(
  options: SageMakerOrLocalEndpointOptions,
): Promise<SageMakerOrLocalEndpoint> {
  const endpointName = (options.env ?? process.env).SAGEMAKER_ENDPOINT_NAME;
  if (endpointName) {
    return {
      connection: { endpointName },
      local: undefined,
      description: `Using SageMaker endpoint ${endpointName} (region from AWS_REGION).`,
      close: async () => {},
    };
  }
  const credentials = { ...DEMO_CREDENTIALS };
  const local = await startLocalEndpoint({
    ...defaultLocalEndpointConfig(),
    region: LOCAL_REGION,
    credentials: [credentials],
  });
  return {
    connection: {
      endpointName: options.localEndpointName,
      region: local.region,
      baseURL: local.url,
      credentials,
    },
    local,
    description:
      `SAGEMAKER_ENDPOINT_NAME is not set: started the local SageMaker OpenAI endpoint at ${local.url}\n` +
      `(demo models, demo credentials ${credentials.accessKeyId}; nothing here calls AWS).`,
    close: () => local.close(),
  };
}
