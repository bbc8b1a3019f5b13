/**
 * The OpenAI client over real HTTP on loopback, against a capture server that
 * stands in for SageMaker and records what the client sends.
 */
import { inspect } from "node:util";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTokenProvider, decodeToken } from "../../src/auth/index.js";
import { createSageMakerOpenAIClient } from "../../src/client/index.js";
import { SageMakerOpenAIError } from "../../src/errors.js";
import {
  type CaptureResponder,
  type CaptureServer,
  startCaptureServer,
} from "../helpers/capture-server.js";

const credentials = {
  accessKeyId: "ASIAEXAMPLEEXAMPLE00",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  sessionToken: "FwoGZXIvYXdzEXAMPLESESSION",
};

const completion = {
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "qwen3-4b",
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: "hello from the endpoint" },
      finish_reason: "stop",
    },
  ],
  usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
};
const ok: CaptureResponder = () => ({ status: 200, body: completion });

function ask(client: OpenAI) {
  return client.chat.completions.create({ model: "", messages: [{ role: "user", content: "hi" }] });
}

/** A client of endpoint `ep` (us-west-2, static credentials) on the capture server. */
function clientOfCapture(extra: { tokenExpiresIn?: number } = {}): OpenAI {
  return createSageMakerOpenAIClient({
    region: "us-west-2",
    endpointName: "ep",
    credentials,
    baseURL: captured().url,
    ...extra,
  });
}

function bearerOf(header: string | string[] | undefined): string {
  expect(typeof header).toBe("string");
  const match = /^Bearer (sagemaker-api-key-[A-Za-z0-9+/=]+)$/.exec(header as string);
  expect(match).not.toBeNull();
  return (match as RegExpExecArray)[1] as string;
}

let server: CaptureServer | undefined;
function captured(): CaptureServer {
  if (server === undefined) {
    throw new Error("no capture server running");
  }
  return server;
}
afterEach(async () => {
  vi.unstubAllEnvs();
  await server?.close();
  server = undefined;
});

describe("createSageMakerOpenAIClient over HTTP", () => {
  beforeEach(async () => {
    server = await startCaptureServer(ok);
  });

  it("routes to the endpoint and to an inference component, with a valid bearer token", async () => {
    const endpoint = createSageMakerOpenAIClient({
      region: "eu-west-1",
      endpointName: "my-endpoint",
      credentials,
      baseURL: captured().url,
    });
    const component = createSageMakerOpenAIClient({
      region: "eu-west-1",
      endpointName: "my-endpoint",
      inferenceComponentName: "coder",
      credentials,
      baseURL: captured().url,
    });
    expect(endpoint).toBeInstanceOf(OpenAI);
    const reply = await ask(endpoint);
    expect(reply.choices[0]?.message.content).toBe("hello from the endpoint");
    await ask(component);

    expect(captured().requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /endpoints/my-endpoint/openai/v1/chat/completions",
      "POST /endpoints/my-endpoint/inference-components/coder/openai/v1/chat/completions",
    ]);
    for (const request of captured().requests) {
      const decoded = decodeToken(bearerOf(request.headers.authorization));
      expect(decoded.region).toBe("eu-west-1");
      expect(decoded.accessKeyId).toBe(credentials.accessKeyId);
      expect(decoded.hasSessionToken).toBe(true);
      expect(decoded.expiresAt.getTime() - decoded.signedAt.getTime()).toBe(900_000);
      expect(JSON.parse(request.body)).toMatchObject({ model: "", messages: [{ role: "user" }] });
    }
  });

  it("honours tokenExpiresIn", async () => {
    const client = clientOfCapture({ tokenExpiresIn: 120 });
    await ask(client);
    const decoded = decodeToken(bearerOf(captured().requests[0]?.headers.authorization));
    expect(decoded.expiresAt.getTime() - decoded.signedAt.getTime()).toBe(120_000);
  });

  it("does not let OPENAI_* environment variables replace the token or add headers", async () => {
    vi.stubEnv("OPENAI_ADMIN_KEY", "sk-admin-should-never-leave");
    vi.stubEnv("OPENAI_API_KEY", "sk-should-never-leave");
    vi.stubEnv("OPENAI_ORG_ID", "org-should-never-leave");
    vi.stubEnv("OPENAI_PROJECT_ID", "proj-should-never-leave");
    vi.stubEnv("OPENAI_BASE_URL", "http://127.0.0.1:1");
    const client = clientOfCapture();
    await ask(client);
    const request = captured().requests[0];
    bearerOf(request?.headers.authorization);
    expect(JSON.stringify(request?.headers)).not.toContain("should-never-leave");
  });

  it("shares one token provider and one keep-alive connection across inference components", async () => {
    let resolutions = 0;
    const tokenProvider = createTokenProvider({
      region: "us-west-2",
      credentials: async () => {
        resolutions += 1;
        return credentials;
      },
    });
    const clients = ["general", "fine-tuned", "classifier"].map((inferenceComponentName) =>
      createSageMakerOpenAIClient({
        region: "us-west-2",
        endpointName: "shared",
        inferenceComponentName,
        tokenProvider,
        baseURL: captured().url,
      }),
    );
    for (let round = 0; round < 2; round += 1) {
      for (const client of clients) {
        await ask(client);
      }
    }
    expect(resolutions).toBe(1);
    // One pool: sockets carry requests of different components, and three
    // clients did not need a connection each (separate pools would).
    const componentsBySocket = new Map<number, Set<string>>();
    for (const request of captured().requests) {
      const components = componentsBySocket.get(request.remotePort) ?? new Set<string>();
      components.add(request.path.split("/")[4] ?? "");
      componentsBySocket.set(request.remotePort, components);
    }
    expect(componentsBySocket.size).toBeLessThan(clients.length);
    expect(Math.max(...[...componentsBySocket.values()].map((set) => set.size))).toBeGreaterThan(1);
  });

  it("surfaces a failing credential provider as the typed error, before any request", async () => {
    const client = createSageMakerOpenAIClient({
      region: "us-west-2",
      endpointName: "ep",
      credentials: async () => {
        throw new Error("The SSO session has expired");
      },
      baseURL: captured().url,
    });
    const error = await ask(client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SageMakerOpenAIError);
    expect((error as SageMakerOpenAIError).code).toBe("CREDENTIALS_UNAVAILABLE");
    expect(captured().requests).toHaveLength(0);
  });

  it("does not reveal the token through JSON.stringify, String() or util.inspect", async () => {
    const client = clientOfCapture();
    await ask(client);
    const token = bearerOf(captured().requests[0]?.headers.authorization);
    const derived = client.withOptions({ timeout: 5_000 });
    await ask(derived);
    for (const shown of [
      JSON.stringify(client),
      JSON.stringify({ client }),
      String(client),
      inspect(client, { depth: 6 }),
      inspect(derived, { depth: 6 }),
      inspect(client, { depth: 2, showHidden: true, getters: false }),
    ]) {
      expect(shown).not.toContain(token);
      expect(shown).not.toContain("sagemaker-api-key-");
      expect(shown).not.toContain(credentials.secretAccessKey);
    }
  });
});

describe("retries", () => {
  it("asks the token provider again on every attempt", async () => {
    server = await startCaptureServer((_request, index) =>
      index === 0
        ? // Long enough for the retry to be signed in a later second, so its token differs.
          { status: 503, headers: { "retry-after-ms": "1100" }, body: { message: "busy" } }
        : { status: 200, body: completion },
    );
    const client = createSageMakerOpenAIClient({
      region: "us-west-2",
      endpointName: "ep",
      tokenProvider: createTokenProvider({
        region: "us-west-2",
        credentials,
        mode: "per-request",
      }),
      baseURL: captured().url,
      maxRetries: 1,
    });
    const reply = await ask(client);
    expect(reply.choices[0]?.message.content).toBe("hello from the endpoint");
    expect(captured().requests).toHaveLength(2);
    const [first, second] = captured().requests.map((r) => bearerOf(r.headers.authorization));
    expect(second).not.toBe(first);
    expect(decodeToken(second as string).signedAt.getTime()).toBeGreaterThan(
      decodeToken(first as string).signedAt.getTime(),
    );
  });
});

describe("createSageMakerOpenAIClient validation", () => {
  it.each([
    [{ baseURL: "http://example.com" }, "INSECURE_BASE_URL"],
    [{ baseURL: "http://10.1.2.3:8080" }, "INSECURE_BASE_URL"],
    [{ region: "us-west-2.evil.com" }, "INVALID_REGION"],
    [{ endpointName: "../admin" }, "INVALID_ENDPOINT_NAME"],
    [{ inferenceComponentName: "ic/../x" }, "INVALID_INFERENCE_COMPONENT_NAME"],
    [{ tokenProvider: async () => "x", credentials }, "INVALID_OPTIONS"],
    [{ tokenProvider: "sagemaker-api-key-abc" }, "INVALID_OPTIONS"],
    [{ tokenExpiresIn: 0 }, "INVALID_EXPIRES_IN"],
  ])("refuses %o with %s", (override, code) => {
    expect(() =>
      createSageMakerOpenAIClient({
        region: "us-west-2",
        endpointName: "ep",
        credentials,
        ...(override as object),
      } as never),
    ).toThrow(expect.objectContaining({ code }));
  });

  it("names tokenExpiresIn, the option given, when it is out of range", () => {
    expect(() =>
      createSageMakerOpenAIClient({
        region: "us-west-2",
        endpointName: "ep",
        credentials,
        tokenExpiresIn: 0,
      }),
    ).toThrow(/^tokenExpiresIn must be a whole number of seconds from 1 to 43200; got 0\.$/);
  });

  it("builds the real SageMaker URL when no baseURL is given", () => {
    const client = createSageMakerOpenAIClient({
      region: "cn-northwest-1",
      endpointName: "ep",
      inferenceComponentName: "ic",
      credentials,
    });
    expect(client.baseURL).toBe(
      "https://runtime.sagemaker.cn-northwest-1.amazonaws.com.cn/endpoints/ep/inference-components/ic/openai/v1",
    );
  });

  it("lets allowInsecureHttp opt into plain http to another host", () => {
    const client = createSageMakerOpenAIClient({
      region: "us-west-2",
      endpointName: "ep",
      credentials,
      baseURL: "http://10.1.2.3:8080",
      allowInsecureHttp: true,
    });
    expect(client.baseURL).toBe("http://10.1.2.3:8080/endpoints/ep/openai/v1");
  });
});
