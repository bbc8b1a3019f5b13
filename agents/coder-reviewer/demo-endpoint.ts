/**
 * The offline demo: the local SageMaker OpenAI endpoint, in this process,
 * serving the demo model's `coder` and `reviewer` scripts as two inference
 * components of endpoint `agents`. Requests still carry real SigV4 bearer
 * tokens over real HTTP; only the model is a script.
 *
 * Used by the `review` CLI, the LangGraph Studio entry, the example and the
 * benchmark when no real endpoint is configured.
 */
import { randomBytes } from "node:crypto";
import type { AwsCredentials } from "../../src/auth/credentials.js";
import { defaultLocalEndpointConfig } from "../../src/local/default-config.js";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/local/server.js";
import {
  DEMO_CODER_COMPONENT,
  DEMO_ENDPOINT,
  DEMO_REGION,
  DEMO_REVIEWER_COMPONENT,
} from "./constants.js";

export { DEMO_CODER_COMPONENT, DEMO_ENDPOINT, DEMO_REGION, DEMO_REVIEWER_COMPONENT };

/** A running demo endpoint and what a client needs to call it. */
export interface DemoEndpoint {
  local: LocalEndpoint;
  region: string;
  /** The credentials its tokens must be signed with. */
  credentials: AwsCredentials;
  /** Where they came from: the AWS environment variables, or generated for this run. */
  credentialsSource: "environment" | "generated";
}

/** Options of {@link startDemoEndpoint}. */
export interface DemoEndpointOptions {
  /** Default: `AWS_REGION`, `AWS_DEFAULT_REGION`, else us-west-2. */
  region?: string;
  /** Default: the AWS environment variables if set, else a key pair generated for this run. */
  credentials?: AwsCredentials;
  /** Delay per stream chunk, for demos that should look like a real model typing. */
  chunkDelayMs?: number;
  env?: NodeJS.ProcessEnv;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** A throwaway key pair shaped like AWS's, known only to this process. */
function generatedCredentials(): AwsCredentials {
  const id = [...randomBytes(16)].map((byte) => BASE32[byte % 32]).join("");
  return { accessKeyId: `AKIA${id}`, secretAccessKey: randomBytes(30).toString("base64") };
}

function environmentCredentials(env: NodeJS.ProcessEnv): AwsCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey || !/^\w{1,128}$/.test(accessKeyId)) return undefined;
  const sessionToken = env.AWS_SESSION_TOKEN;
  return sessionToken
    ? { accessKeyId, secretAccessKey, sessionToken }
    : { accessKeyId, secretAccessKey };
}

/**
 * Starts the local endpoint with the demo `coder` and `reviewer` components on
 * a free loopback port. Close it with `demo.local.close()`.
 */
export async function startDemoEndpoint(options: DemoEndpointOptions = {}): Promise<DemoEndpoint> {
  const env = options.env ?? process.env;
  const region = options.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || DEMO_REGION);
  const fromEnv = options.credentials ?? environmentCredentials(env);
  const credentials = fromEnv ?? generatedCredentials();
  const config = defaultLocalEndpointConfig();
  if (options.chunkDelayMs !== undefined) {
    for (const endpoint of Object.values(config.endpoints)) {
      for (const component of Object.values(endpoint.inferenceComponents ?? {})) {
        const backend = component.backend;
        if ("type" in backend && backend.type === "demo") {
          component.backend = { ...backend, chunkDelayMs: options.chunkDelayMs };
        }
      }
    }
  }
  const local = await startLocalEndpoint({
    ...config,
    region,
    credentials: [
      {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
      },
    ],
  });
  return {
    local,
    region,
    credentials,
    credentialsSource: fromEnv === undefined ? "generated" : "environment",
  };
}
