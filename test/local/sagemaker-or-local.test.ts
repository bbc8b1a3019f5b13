/**
 * `sagemakerOrLocalEndpoint`: without SAGEMAKER_ENDPOINT_NAME its connection
 * reaches a local endpoint that answers a real client over HTTP; with it, the
 * connection names that endpoint only and nothing is started.
 */
import { describe, expect, it } from "vitest";
import { createSageMakerOpenAIClient } from "../../src/client/index.js";
import { DEMO_CREDENTIALS, sagemakerOrLocalEndpoint } from "../../src/local/index.js";

describe("sagemakerOrLocalEndpoint", () => {
  it("starts the local endpoint when SAGEMAKER_ENDPOINT_NAME is not set, and a client spread from it gets answers", async () => {
    const target = await sagemakerOrLocalEndpoint({ localEndpointName: "agents", env: {} });
    try {
      expect(target.local).toBeDefined();
      expect(target.connection).toEqual({
        endpointName: "agents",
        region: "us-west-2",
        baseURL: target.local?.url,
        credentials: { ...DEMO_CREDENTIALS },
      });
      expect(target.description).toContain(
        `local SageMaker OpenAI endpoint at ${target.local?.url}`,
      );
      const client = createSageMakerOpenAIClient({
        ...target.connection,
        inferenceComponentName: "coder",
        maxRetries: 0,
      });
      const answer = await client.chat.completions.create({
        model: "",
        messages: [{ role: "user", content: "Write a function that adds two numbers." }],
      });
      expect(answer.choices[0]?.message.content?.length).toBeGreaterThan(0);
      expect(target.local?.requests.map((entry) => [entry.component, entry.status])).toEqual([
        ["coder", 200],
      ]);
    } finally {
      await target.close();
    }
  });

  it("serves the single-model `demo` endpoint when asked for it", async () => {
    const target = await sagemakerOrLocalEndpoint({ localEndpointName: "demo", env: {} });
    try {
      const client = createSageMakerOpenAIClient({ ...target.connection, maxRetries: 0 });
      const answer = await client.chat.completions.create({
        model: "",
        messages: [{ role: "user", content: "hello" }],
      });
      expect(answer.choices[0]?.message.content?.length).toBeGreaterThan(0);
      expect(target.local?.requests.map((entry) => entry.endpoint)).toEqual(["demo"]);
    } finally {
      await target.close();
    }
  });

  it("names the configured SageMaker endpoint and starts nothing when SAGEMAKER_ENDPOINT_NAME is set", async () => {
    const target = await sagemakerOrLocalEndpoint({
      localEndpointName: "demo",
      env: { SAGEMAKER_ENDPOINT_NAME: "my-endpoint" },
    });
    expect(target.connection).toEqual({ endpointName: "my-endpoint" });
    expect(target.local).toBeUndefined();
    expect(target.description).toBe(
      "Using SageMaker endpoint my-endpoint (region from AWS_REGION).",
    );
    await expect(target.close()).resolves.toBeUndefined();
  });
});
