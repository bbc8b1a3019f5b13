/**
 * The client against the local SageMaker OpenAI endpoint, whose token check is
 * an independent SigV4 verifier: what the client sends is accepted, routed to
 * the right endpoint or component, and retried with valid tokens.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTokenProvider } from "../../src/auth/index.js";
import { createSageMakerOpenAIClient } from "../../src/client/index.js";
import type { LocalEndpoint } from "../../src/local/index.js";
import {
  type echoBackend,
  startTestEndpoint,
  TEST_CREDENTIALS,
} from "../helpers/local-endpoint.js";

let local: LocalEndpoint & { backend: ReturnType<typeof echoBackend> };
beforeEach(async () => {
  local = await startTestEndpoint();
});
afterEach(async () => {
  await local.close();
});

describe("createSageMakerOpenAIClient against the local endpoint", () => {
  it("is accepted by the endpoint's own token verification, endpoint and component alike", async () => {
    const tokenProvider = createTokenProvider({
      region: "us-west-2",
      credentials: TEST_CREDENTIALS,
    });
    const single = createSageMakerOpenAIClient({
      region: "us-west-2",
      endpointName: "ep1",
      tokenProvider,
      baseURL: local.url,
    });
    const coder = createSageMakerOpenAIClient({
      region: "us-west-2",
      endpointName: "ep2",
      inferenceComponentName: "coder",
      tokenProvider,
      baseURL: local.url,
    });
    const reply = await single.chat.completions.create({
      model: "",
      messages: [{ role: "user", content: "ping" }],
    });
    expect(reply.choices[0]?.message.content).toBe("echo: ping");

    const stream = await coder.chat.completions.create({
      model: "",
      messages: [{ role: "user", content: "stream me" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
    }
    expect(text).toBe("echo: stream me");
    expect(local.backend.seen.map((s) => s.component)).toEqual([undefined, "coder"]);
    expect(local.requests.map((r) => [r.status, r.accessKeyId])).toEqual([
      [200, TEST_CREDENTIALS.accessKeyId],
      [200, TEST_CREDENTIALS.accessKeyId],
    ]);
  });

  it("retries a 503 with a token the endpoint accepts again", async () => {
    local.injectFault({ endpoint: "ep1", status: 503, count: 1, retryAfterSeconds: 0 });
    const client = createSageMakerOpenAIClient({
      region: "us-west-2",
      endpointName: "ep1",
      credentials: TEST_CREDENTIALS,
      baseURL: local.url,
      maxRetries: 2,
    });
    const reply = await client.chat.completions.create({
      model: "",
      messages: [{ role: "user", content: "again" }],
    });
    expect(reply.choices[0]?.message.content).toBe("echo: again");
    expect(local.requests.map((r) => r.status)).toEqual([503, 200]);
  });

  it("is refused when minted for another region", async () => {
    const client = createSageMakerOpenAIClient({
      region: "eu-west-1",
      endpointName: "ep1",
      credentials: TEST_CREDENTIALS,
      baseURL: local.url,
      maxRetries: 0,
    });
    const error = (await client.chat.completions
      .create({ model: "", messages: [{ role: "user", content: "x" }] })
      .catch((caught: unknown) => caught)) as { status?: number; message?: string };
    expect([401, 403]).toContain(error.status);
    expect(String(error.message)).not.toMatch(/sagemaker-api-key-[A-Za-z0-9]/);
  });
});
