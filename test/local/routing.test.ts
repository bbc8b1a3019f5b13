/**
 * Routes as SageMaker has them, driven with the official openai SDK where a
 * client would use it, and raw HTTP for what the SDK cannot send.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import {
  CHAT_BODY,
  echoBackend,
  mintToken,
  rawRequest,
  startEndpointWithTestCredentials,
  startTestEndpoint,
  type TestEndpoint,
} from "../helpers/local-endpoint.js";

let local: TestEndpoint;
let token: string;

beforeAll(async () => {
  local = await startTestEndpoint();
  token = await mintToken();
});
afterAll(() => local.close());

function client(endpoint: string, component?: string): OpenAI {
  return new OpenAI({ baseURL: local.baseURL(endpoint, component), apiKey: token, maxRetries: 0 });
}

describe("the two chat completions routes", () => {
  it("listens on 127.0.0.1 and builds SageMaker-shaped base URLs", () => {
    expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(local.region).toBe("us-west-2");
    expect(local.baseURL("ep1")).toBe(`${local.url}/endpoints/ep1/openai/v1`);
    expect(local.baseURL("ep2", "coder")).toBe(
      `${local.url}/endpoints/ep2/inference-components/coder/openai/v1`,
    );
    expect(local.targets().map((t) => t.baseURL)).toEqual([
      local.baseURL("ep1"),
      local.baseURL("ep2", "coder"),
      local.baseURL("ep2", "reviewer"),
    ]);
    expect(() => local.baseURL("../evil")).toThrow(
      expect.objectContaining({ code: "INVALID_ENDPOINT_NAME" }),
    );
    expect(() => local.baseURL("ep2", "a/b")).toThrow(
      expect.objectContaining({ code: "INVALID_INFERENCE_COMPONENT_NAME" }),
    );
  });

  it("answers a single-model endpoint through the openai SDK, streamed and not", async () => {
    const completion = await client("ep1").chat.completions.create({
      model: "",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(completion.choices[0]?.message.content).toBe("echo: hi");
    expect(completion.id).toBe(`chatcmpl-${local.requests.at(-1)?.requestId}`);

    const stream = await client("ep1").chat.completions.create({
      model: "",
      messages: [{ role: "user", content: "streaming" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("echo: streaming");
    expect(local.requests.at(-1)).toMatchObject({
      endpoint: "ep1",
      component: null,
      status: 200,
      stream: true,
    });
  });

  it("routes each endpoint and inference component to its own backend, streamed and not", async () => {
    // Three backends that sign their answers, listed so that "always the first one" is wrong twice.
    const backends = {
      single: echoBackend("single-backend"),
      coder: echoBackend("coder-backend"),
      reviewer: echoBackend("reviewer-backend"),
    };
    const own = await startEndpointWithTestCredentials({
      one: { backend: backends.single },
      two: {
        inferenceComponents: {
          coder: { backend: backends.coder },
          reviewer: { backend: backends.reviewer },
        },
      },
    });
    onTestFinished(() => own.close());
    const targets: Array<[string, string | undefined, keyof typeof backends]> = [
      ["two", "reviewer", "reviewer"],
      ["one", undefined, "single"],
      ["two", "coder", "coder"],
    ];
    for (const [endpoint, component, expected] of targets) {
      const openai = new OpenAI({
        baseURL: own.baseURL(endpoint, component),
        apiKey: token,
        maxRetries: 0,
      });
      const completion = await openai.chat.completions.create({
        model: "",
        messages: [{ role: "user", content: "who?" }],
      });
      expect(completion.model).toBe(`${expected}-backend`);
      expect(completion.choices[0]?.message.content).toBe(`${expected}-backend: who?`);
      const stream = await openai.chat.completions.create({
        model: "",
        messages: [{ role: "user", content: "who streams?" }],
        stream: true,
      });
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      expect(text).toBe(`${expected}-backend: who streams?`);
    }
    // Each backend saw exactly its own two requests, with the component the path named.
    expect(backends.single.seen.map((s) => s.component)).toEqual([undefined, undefined]);
    expect(backends.coder.seen.map((s) => s.component)).toEqual(["coder", "coder"]);
    expect(backends.reviewer.seen.map((s) => s.component)).toEqual(["reviewer", "reviewer"]);
  });

  it("passes the body to the backend untouched (model included)", async () => {
    await client("ep1").chat.completions.create({
      model: "Qwen/Qwen3-4B",
      messages: [{ role: "user", content: "x" }],
      temperature: 0.2,
    });
    expect(local.backend.seen.at(-1)?.body).toMatchObject({
      model: "Qwen/Qwen3-4B",
      temperature: 0.2,
    });
  });
});

describe("routing refusals (SageMaker ValidationError, 400)", () => {
  const cases: Array<[string, string, string]> = [
    ["an unknown endpoint", "/endpoints/nope/openai/v1/chat/completions", "ENDPOINT_NOT_FOUND"],
    [
      "an unknown inference component",
      "/endpoints/ep2/inference-components/nope/openai/v1/chat/completions",
      "COMPONENT_NOT_FOUND",
    ],
    [
      "a single-model endpoint addressed with a component",
      "/endpoints/ep1/inference-components/coder/openai/v1/chat/completions",
      "COMPONENT_NOT_EXPECTED",
    ],
    [
      "a component endpoint addressed without one",
      "/endpoints/ep2/openai/v1/chat/completions",
      "COMPONENT_REQUIRED",
    ],
  ];
  for (const [label, path, code] of cases) {
    it(`${code}: ${label}`, async () => {
      const res = await rawRequest(local.url, {
        path,
        headers: { authorization: `Bearer ${token}` },
        body: CHAT_BODY,
      });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: { type: "ValidationError", code } });
      expect(res.headers["x-amzn-errortype"]).toBe("ValidationError");
    });
  }

  it("says which components exist when one is missing, and the SDK surfaces it as BadRequestError", async () => {
    const error = await client("ep2")
      .chat.completions.create({ model: "", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toContain(
      "coder, reviewer",
    );
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe("COMPONENT_REQUIRED");
  });

  it("checks the token before saying whether an endpoint exists", async () => {
    const res = await rawRequest(local.url, {
      path: "/endpoints/nope/openai/v1/chat/completions",
      body: CHAT_BODY,
    });
    expect(res.status).toBe(401);
  });
});

describe("anything else is 404 in vLLM's shape", () => {
  const paths: Array<[string, string]> = [
    ["GET", "/endpoints/ep1/openai/v1/chat/completions"],
    ["POST", "/endpoints/ep1/openai/v1/completions"],
    ["POST", "/endpoints/ep1/openai/v1/models"],
    ["POST", "/endpoints/ep1/invocations"],
    ["POST", "/endpoints//openai/v1/chat/completions"],
    ["POST", "/endpoints/ep2/inference-components//openai/v1/chat/completions"],
    ["POST", "/endpoints/ep2/components/coder/openai/v1/chat/completions"],
    ["POST", "/openai/v1/chat/completions"],
    ["GET", "/"],
  ];
  for (const [method, path] of paths) {
    it(`${method} ${path}`, async () => {
      const res = await rawRequest(local.url, {
        method,
        path,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(404);
      expect(res.json).toEqual({
        error: { message: "Not Found", type: "NotFoundError", param: null, code: 404 },
      });
    });
  }
});
