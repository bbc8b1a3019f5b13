/**
 * LangSmith tracing of the coder/reviewer graph through LangChain's standard
 * environment, against a capture server on loopback standing in for
 * LangSmith: runs named `coder`, `reviewer` and after the tools arrive with
 * their endpoint, inference component and round, and no captured byte holds a
 * bearer token or the secret key.
 */
import { awaitAllCallbacks } from "@langchain/core/callbacks/promises";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { LocalEndpoint } from "../../src/local/index.js";
import { type CaptureServer, startCaptureServer } from "../helpers/capture-server.js";
import {
  capturedBytes,
  lsKeys,
  STANDARD_LS_KEYS,
  type TracedRun,
  tracedRuns,
} from "../helpers/langsmith-runs.js";
import { TEST_CREDENTIALS } from "../helpers/local-endpoint.js";
import { DEMO_TASK, graphOn, startAgentsEndpoint } from "./helpers.js";

let capture: CaptureServer;
let local: LocalEndpoint;

beforeAll(async () => {
  capture = await startCaptureServer();
  vi.stubEnv("LANGSMITH_TRACING", "true");
  vi.stubEnv("LANGSMITH_ENDPOINT", capture.url);
  vi.stubEnv("LANGSMITH_API_KEY", "fake-langsmith-key");
  vi.stubEnv("LANGSMITH_PROJECT", "coder-reviewer-test");
  local = await startAgentsEndpoint();
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await local.close();
  await capture.close();
});

describe("LangSmith tracing of the coder/reviewer graph", () => {
  it("names the agents' and tools' runs and tags them with endpoint, component and round, without secrets", async () => {
    const result = await graphOn(local).invoke({ task: DEMO_TASK });
    expect(result.approved).toBe(true);
    await awaitAllCallbacks();

    const runs = [...tracedRuns(capture).values()];
    const named = (name: string) => runs.filter((run) => run.name === name);
    const meta = (run: TracedRun | undefined) => run?.extra?.metadata ?? {};
    expect(named("coder-reviewer")).toHaveLength(1);

    // Each agent turn: a run named after the agent, with its model's target and the round.
    const agentRuns = (agent: string) =>
      named(agent).filter((run) => meta(run).agent === agent && meta(run).round !== undefined);
    for (const agent of ["coder", "reviewer"]) {
      const turns = agentRuns(agent);
      expect(turns.map((run) => meta(run).round).sort()).toEqual([1, 2]);
      for (const run of turns) {
        expect(meta(run)).toMatchObject({ endpoint: "agents", inference_component: agent });
      }
    }
    // Tools keep their own names and inherit the turn's metadata.
    const calculator = named("calculator");
    expect(calculator).toHaveLength(1);
    expect(calculator[0]?.run_type).toBe("tool");
    expect(meta(calculator[0])).toMatchObject({
      agent: "coder",
      round: 1,
      inference_component: "coder",
    });
    const syntax = named("syntax_check");
    expect(syntax.map((run) => meta(run).round).sort()).toEqual([1, 2]);
    expect(meta(syntax[0])).toMatchObject({ agent: "reviewer", inference_component: "reviewer" });
    // The models' own runs carry ChatSageMakerOpenAI's metadata: LangChain's standard
    // ls_* keys only (plus LangChain's own ls_integration), and the SageMaker target.
    const llm = runs.filter((run) => run.run_type === "llm");
    expect(llm.length).toBeGreaterThanOrEqual(9);
    const allowed: string[] = [...STANDARD_LS_KEYS, "ls_integration"];
    for (const run of llm) {
      expect(lsKeys(run).filter((key) => !allowed.includes(key))).toEqual([]);
      expect(meta(run)).toMatchObject({
        ls_provider: "amazon_sagemaker",
        ls_model_type: "chat",
        endpoint: "agents",
        sagemaker_endpoint: "agents",
        aws_region: local.region,
      });
      expect(["coder", "reviewer"]).toContain(meta(run).sagemaker_inference_component);
      expect(meta(run).ls_model_name).toBe(meta(run).sagemaker_inference_component);
    }
    const components = new Set(llm.map((run) => meta(run).sagemaker_inference_component));
    expect([...components].sort()).toEqual(["coder", "reviewer"]);

    const everything = capturedBytes(capture);
    expect(everything).toContain("celsius_to_fahrenheit");
    expect(everything).not.toContain("sagemaker-api-key-");
    expect(everything).not.toContain(TEST_CREDENTIALS.secretAccessKey);
  });
});
