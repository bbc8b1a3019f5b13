/**
 * Shared fixtures of the deploy tests: the article's container, and moto with
 * a SageMaker client and a scratch folder for the tests that deploy on it.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS, type Moto, startMoto } from "./moto.js";

/** The execution role the deploy tests pass (moto's account). */
export const TEST_ROLE_ARN = `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/SageMakerExecution`;

/** The article's vLLM container image in us-west-2. */
export const ARTICLE_IMAGE =
  "763104351884.dkr.ecr.us-west-2.amazonaws.com/vllm:0.20.2-gpu-py312-cu130-ubuntu22.04-sagemaker";

/** The container environment of the article's single-model deploy, written out by hand. */
export const ARTICLE_ENV = {
  HF_MODEL_ID: "Qwen/Qwen3-4B",
  SM_VLLM_TENSOR_PARALLEL_SIZE: "1",
  SM_VLLM_MAX_NUM_SEQS: "4",
  SM_VLLM_ENABLE_AUTO_TOOL_CHOICE: "true",
  SM_VLLM_TOOL_CALL_PARSER: "hermes",
  SAGEMAKER_ENABLE_LOAD_AWARE: "1",
} as const;

/** moto, a SageMaker client on it (us-west-2), and a scratch folder. */
export interface MotoSageMaker {
  moto: Moto;
  client: SageMakerClient;
  dir: string;
  /** Destroys the client, stops moto (if started here) and removes the folder. */
  close(): Promise<void>;
}

/** Starts moto (see {@link startMoto}), a client on it and a folder named `dirPrefix...`. */
export async function startMotoSageMaker(dirPrefix: string): Promise<MotoSageMaker> {
  const moto = await startMoto();
  const client = new SageMakerClient({
    region: "us-west-2",
    endpoint: moto.endpoint,
    credentials: MOTO_CREDENTIALS,
  });
  const dir = await mkdtemp(join(tmpdir(), dirPrefix));
  return {
    moto,
    client,
    dir,
    async close() {
      client.destroy();
      await moto.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Whether a Describe call finds its resource (moto answers "Could not find ..." otherwise). */
export async function sagemakerResourceExists(send: () => Promise<unknown>): Promise<boolean> {
  try {
    await send();
    return true;
  } catch (error) {
    if (error instanceof Error && /could not find/i.test(error.message)) return false;
    throw error;
  }
}
