/**
 * LangSmith tracing through LangChain's standard environment, with a capture
 * server on loopback as LANGSMITH_ENDPOINT: runs arrive tagged with the
 * SageMaker provider and endpoint, and no captured byte holds a bearer token
 * or the AWS secret key.
 */
import { gunzipSync } from "node:zlib";
import { awaitAllCallbacks } from "@langchain/core/callbacks/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenProvider } from "../../src/auth/index.js";
import type { LocalEndpoint } from "../../src/local/index.js";
import { type CaptureServer, startCaptureServer } from "../helpers/capture-server.js";
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

/** Everything the capture server received, bodies decompressed when gzipped. */
function captured(): string {
  return langsmith.requests
    .map((r) => {
      const raw = r.body;
      const text =
        r.headers["content-encoding"] === "gzip"
          ? gunzipSync(Buffer.from(raw, "latin1")).toString()
          : raw;
      return `${r.method} ${r.path}\n${JSON.stringify(r.headers)}\n${text}`;
    })
    .join("\n");
}

async function waitForRuns(predicate: (all: string) => boolean): Promise<string> {
  await awaitAllCallbacks();
  for (let i = 0; i < 100; i++) {
    const all = captured();
    if (predicate(all)) return all;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return captured();
}

describe("LangSmith tracing", () => {
  it("sends runs with SageMaker metadata and without secrets", async () => {
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
    });
    const viaCredentials = modelFor(local, {
      endpointName: "multi",
      inferenceComponentName: "general",
    });
    await model.invoke("traced invoke", { runName: "traced-invoke" });
    await collect(await model.stream("traced stream", { runName: "traced-stream" }));
    await viaCredentials
      .bindTools([{ type: "function", function: { name: "calc", parameters: { type: "object" } } }])
      .invoke("traced tools", { runName: "traced-tools" });

    const all = await waitForRuns(
      (text) =>
        text.includes("traced-invoke") &&
        text.includes("traced-stream") &&
        text.includes("traced-tools"),
    );
    expect(langsmith.requests.length).toBeGreaterThan(0);
    for (const name of ["traced-invoke", "traced-stream", "traced-tools"])
      expect(all).toContain(name);
    expect(all).toContain('"ls_provider":"amazon_sagemaker"');
    expect(all).toContain('"ls_model_name":"think"');
    expect(all).toContain('"sagemaker_endpoint":"multi"');
    expect(all).toContain('"sagemaker_inference_component":"general"');
    expect(all).toContain("ChatSageMakerOpenAI");

    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) expect(all).not.toContain(token.slice(18, 80));
    expect(all).not.toMatch(/sagemaker-api-key-(?!\[REDACTED\])[A-Za-z0-9+/=]/);
    expect(all).not.toContain(TEST_CREDENTIALS.secretAccessKey);
  });
});
