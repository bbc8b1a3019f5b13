/**
 * LangSmith tracing through LangChain's standard environment, with a capture
 * server on loopback as LANGSMITH_ENDPOINT: each model run carries exactly
 * LangChain's standard `ls_*` keys (plus the `ls_integration` tag LangChain
 * itself adds), the SageMaker endpoint, inference component and region as run
 * metadata, and no captured byte holds a bearer token or the AWS secret key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenProvider } from "../../src/auth/index.js";
import type { LocalEndpoint } from "../../src/local/index.js";
import { type CaptureServer, startCaptureServer } from "../helpers/capture-server.js";
import {
  capturedBytes,
  lsKeys,
  STANDARD_LS_KEYS,
  type TracedRun,
  waitForRuns,
} from "../helpers/langsmith-runs.js";
import { collect, modelFor, startDemoEndpoint, TEST_CREDENTIALS } from "./model-helpers.js";

let local: LocalEndpoint;
let langsmith: CaptureServer;
const saved: Record<string, string | undefined> = {};
const ENV = ["LANGSMITH_TRACING", "LANGSMITH_API_KEY", "LANGSMITH_ENDPOINT", "LANGSMITH_PROJECT"];

beforeAll(async () => {
  local = await startDemoEndpoint();
  langsmith = await startCaptureServer(() => ({ status: 200, body: {} }));
  for (const name of ENV) saved[name] = process.env[name];
  process.env.LANGSMITH_TRACING = "true";
  process.env.LANGSMITH_API_KEY = "lsv2_pt_test_not_a_real_key";
  process.env.LANGSMITH_ENDPOINT = langsmith.url;
  process.env.LANGSMITH_PROJECT = "sagemaker-openai-agents-test";
});

afterAll(async () => {
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await langsmith.close();
  await local.close();
});

const RUN_NAMES = ["traced-invoke", "traced-stream", "traced-tools"];

describe("LangSmith tracing", () => {
  it("sends runs with the standard ls_* keys, the SageMaker target as metadata, and no secrets", async () => {
    const tokens: string[] = [];
    const inner = createTokenProvider({ region: local.region, credentials: TEST_CREDENTIALS });
    const recording = Object.assign(
      async () => {
        const token = await inner();
        tokens.push(token);
        return token;
      },
      { toJSON: () => "[provider]" },
    );
    const model = modelFor(local, {
      endpointName: "multi",
      inferenceComponentName: "think",
      tokenProvider: recording,
      temperature: 0.2,
      maxTokens: 500,
    });
    const viaCredentials = modelFor(local, {
      endpointName: "multi",
      inferenceComponentName: "general",
    });
    await model.invoke("traced invoke", { runName: "traced-invoke", stop: ["NEVER"] });
    await collect(await model.stream("traced stream", { runName: "traced-stream" }));
    await viaCredentials
      .bindTools([{ type: "function", function: { name: "calc", parameters: { type: "object" } } }])
      .invoke("traced tools", { runName: "traced-tools" });

    const runs = await waitForRuns(langsmith, (all) =>
      RUN_NAMES.every((name) =>
        all.some((run) => run.name === name && run.extra?.metadata !== undefined),
      ),
    );
    const run = (name: string): TracedRun | undefined => runs.find((r) => r.name === name);
    const meta = (name: string) => run(name)?.extra?.metadata ?? {};
    for (const name of RUN_NAMES) expect(run(name)?.run_type, name).toBe("llm");

    // Exactly LangChain's keys: the standard six when all are set, plus LangChain's own ls_integration.
    expect(lsKeys(run("traced-invoke"))).toEqual([...STANDARD_LS_KEYS, "ls_integration"].sort());
    expect(meta("traced-invoke")).toMatchObject({
      ls_provider: "amazon_sagemaker",
      ls_model_name: "think",
      ls_model_type: "chat",
      ls_temperature: 0.2,
      ls_max_tokens: 500,
      ls_stop: ["NEVER"],
    });
    for (const name of RUN_NAMES) {
      const allowed: string[] = [...STANDARD_LS_KEYS, "ls_integration"];
      expect(
        lsKeys(run(name)).filter((key) => !allowed.includes(key)),
        name,
      ).toEqual([]);
    }

    // The SageMaker target reaches LangSmith as run metadata (and in invocation_params).
    expect(meta("traced-invoke")).toMatchObject({
      sagemaker_endpoint: "multi",
      sagemaker_inference_component: "think",
      aws_region: "us-west-2",
    });
    expect(meta("traced-stream")).toMatchObject({
      sagemaker_endpoint: "multi",
      sagemaker_inference_component: "think",
      aws_region: "us-west-2",
    });
    expect(meta("traced-tools")).toMatchObject({
      ls_model_name: "general",
      sagemaker_endpoint: "multi",
      sagemaker_inference_component: "general",
      aws_region: "us-west-2",
    });
    expect(run("traced-tools")?.extra?.invocation_params).toMatchObject({
      sagemaker_endpoint: "multi",
      sagemaker_inference_component: "general",
    });

    const all = capturedBytes(langsmith);
    expect(all).toContain("ChatSageMakerOpenAI");
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) expect(all).not.toContain(token.slice(18, 80));
    expect(all).not.toMatch(/sagemaker-api-key-(?!\[REDACTED\])[A-Za-z0-9+/=]/);
    expect(all).not.toContain(TEST_CREDENTIALS.secretAccessKey);
  });
});
