/**
 * The local endpoint's configuration: validation with typed errors, JSON and
 * YAML files, credentials and region from the environment, loopback-only
 * binding, and backend ownership on close.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resolveLimits } from "../../src/local/config.js";
import {
  type ChatBackend,
  type LocalEndpointConfig,
  LocalEndpointConfigError,
  LocalEndpointEnvironmentError,
  loadLocalEndpointConfig,
  startLocalEndpoint,
  validateLocalEndpointConfig,
} from "../../src/local/index.js";
import {
  echoBackend,
  mintToken,
  postChat,
  rawRequest,
  TEST_CREDENTIALS,
} from "../helpers/local-endpoint.js";

const credentials = [{ ...TEST_CREDENTIALS }];
const dir = mkdtempSync(join(tmpdir(), "local-config-"));

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function invalid(config: unknown): LocalEndpointConfigError {
  try {
    validateLocalEndpointConfig(config);
  } catch (error) {
    expect(error).toBeInstanceOf(LocalEndpointConfigError);
    return error as LocalEndpointConfigError;
  }
  throw new Error("expected the config to be refused");
}

describe("validation", () => {
  const demo = { type: "demo" };
  const cases: Array<[string, unknown, string]> = [
    ["no endpoints", { endpoints: {} }, "endpoints"],
    [
      "an endpoint name with an underscore",
      { endpoints: { my_ep: { backend: demo } } },
      "endpoints.my_ep",
    ],
    [
      "an endpoint name ending in a hyphen",
      { endpoints: { "ep-": { backend: demo } } },
      "endpoints.ep-",
    ],
    [
      "a 64-character name",
      // Not hex: 64 hex digits would look like a SigV4 signature, which error messages redact.
      { endpoints: { ["z".repeat(64)]: { backend: demo } } },
      "endpoints.zzzz",
    ],
    [
      "a component name with a dot",
      { endpoints: { ep: { inferenceComponents: { "a.b": { backend: demo } } } } },
      "inferenceComponents.a.b",
    ],
    [
      "both backend and components",
      { endpoints: { ep: { backend: demo, inferenceComponents: { a: { backend: demo } } } } },
      "exactly one",
    ],
    ["neither backend nor components", { endpoints: { ep: {} } }, "exactly one"],
    [
      "no components",
      { endpoints: { ep: { inferenceComponents: {} } } },
      "at least one inference component",
    ],
    ["a backend without type", { endpoints: { ep: { backend: {} } } }, "endpoints.ep.backend"],
    [
      "a malformed region",
      { region: "us-west-2.evil.com", endpoints: { ep: { backend: demo } } },
      "region",
    ],
    ["an unknown key", { endpoints: { ep: { backend: demo } }, prot: 8080 }, "prot"],
    ["a port out of range", { port: 70000, endpoints: { ep: { backend: demo } } }, "port"],
    ["empty credentials", { credentials: [], endpoints: { ep: { backend: demo } } }, "credentials"],
    [
      "a credential without secret",
      { credentials: [{ accessKeyId: "AKID" }], endpoints: { ep: { backend: demo } } },
      "credentials.0.secretAccessKey",
    ],
    [
      "an access key id with a slash",
      {
        credentials: [{ accessKeyId: "AK/ID", secretAccessKey: "s" }],
        endpoints: { ep: { backend: demo } },
      },
      "credentials.0.accessKeyId",
    ],
    [
      "an invalid fault",
      { endpoints: { ep: { backend: demo } }, faults: [{ endpoint: "ep", status: 99 }] },
      "faults.0.status",
    ],
    [
      "no connections",
      { maxConnections: 0, endpoints: { ep: { backend: demo } } },
      "maxConnections",
    ],
    [
      "a fractional body budget",
      { maxBufferedBodyBytes: 1.5, endpoints: { ep: { backend: demo } } },
      "maxBufferedBodyBytes",
    ],
    [
      "a body budget below maxBodyBytes",
      { maxBodyBytes: 2048, maxBufferedBodyBytes: 1024, endpoints: { ep: { backend: demo } } },
      "maxBufferedBodyBytes: must be at least maxBodyBytes (2048)",
    ],
    [
      "a body budget below the default maxBodyBytes",
      { maxBufferedBodyBytes: 1024, endpoints: { ep: { backend: demo } } },
      `maxBufferedBodyBytes: must be at least maxBodyBytes (${25 * 1024 * 1024})`,
    ],
    [
      "a negative headers timeout",
      { headersTimeoutMs: -1, endpoints: { ep: { backend: demo } } },
      "headersTimeoutMs",
    ],
    [
      "a timeout past what Node's timers take",
      { requestTimeoutMs: 2 ** 31, endpoints: { ep: { backend: demo } } },
      "requestTimeoutMs",
    ],
    [
      "a request timeout shorter than the headers timeout",
      { headersTimeoutMs: 5000, requestTimeoutMs: 4000, endpoints: { ep: { backend: demo } } },
      "requestTimeoutMs: must be at least headersTimeoutMs (5000)",
    ],
  ];
  for (const [label, config, mention] of cases) {
    it(`refuses ${label} (LOCAL_CONFIG_INVALID, naming where)`, () => {
      const error = invalid(config);
      expect(error.code).toBe("LOCAL_CONFIG_INVALID");
      expect(error.message).toContain(mention);
    });
  }

  it("fills the connection and memory limits with their defaults, keeping pairs consistent", () => {
    const ep: LocalEndpointConfig["endpoints"] = { ep: { backend: { type: "demo" } } };
    expect(resolveLimits({ endpoints: ep })).toEqual({
      maxBodyBytes: 25 * 1024 * 1024,
      maxBufferedBodyBytes: 64 * 1024 * 1024,
      maxConnections: 2048,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
    });
    // A larger body cap raises the default budget; a longer headers timeout, the request timeout.
    expect(
      resolveLimits({ endpoints: ep, maxBodyBytes: 100 * 1024 * 1024, headersTimeoutMs: 45_000 }),
    ).toMatchObject({ maxBufferedBodyBytes: 100 * 1024 * 1024, requestTimeoutMs: 45_000 });
  });

  it("refuses allowedEndpoints and faults that name missing endpoints or components", () => {
    const base = { endpoints: { ep: { backend: { type: "demo" } } } };
    const scoped = invalid({
      ...base,
      credentials: [{ ...TEST_CREDENTIALS, allowedEndpoints: ["other"] }],
    });
    expect(scoped).toMatchObject({
      code: "LOCAL_UNKNOWN_TARGET",
      message: expect.stringContaining('"other"'),
    });
    expect(invalid({ ...base, faults: [{ endpoint: "other", status: 503 }] }).code).toBe(
      "LOCAL_UNKNOWN_TARGET",
    );
    expect(
      invalid({ ...base, faults: [{ endpoint: "ep", component: "x", status: 503 }] }).code,
    ).toBe("LOCAL_UNKNOWN_TARGET");
  });

  it("accepts the shape the issue promises, including a ChatBackend object", () => {
    const config = {
      region: "us-west-2",
      credentials: [{ ...TEST_CREDENTIALS, sessionToken: "s" }],
      endpoints: {
        ep1: { backend: { type: "demo", toolCalls: "hermes" } },
        ep2: { inferenceComponents: { coder: { backend: echoBackend() } } },
      },
      port: 0,
    };
    const validated = validateLocalEndpointConfig(config);
    expect(validated).toEqual(config);
    // A backend object is used as given, not copied.
    expect(validated.endpoints.ep2?.inferenceComponents?.coder?.backend).toBe(
      config.endpoints.ep2.inferenceComponents.coder.backend,
    );
  });
});

describe("config files", () => {
  it("reads YAML and JSON", async () => {
    const yaml = join(dir, "local.yaml");
    writeFileSync(
      yaml,
      "region: eu-west-1\nendpoints:\n  agents:\n    inferenceComponents:\n      coder:\n        backend: { type: demo }\n",
    );
    expect(await loadLocalEndpointConfig(yaml)).toEqual({
      region: "eu-west-1",
      endpoints: { agents: { inferenceComponents: { coder: { backend: { type: "demo" } } } } },
    });
    const json = join(dir, "local.json");
    writeFileSync(
      json,
      JSON.stringify({
        endpoints: { ep: { backend: { type: "proxy", url: "http://127.0.0.1:1" } } },
      }),
    );
    expect((await loadLocalEndpointConfig(json)).endpoints.ep).toEqual({
      backend: { type: "proxy", url: "http://127.0.0.1:1" },
    });
  });

  it("says which file is missing, unparsable or invalid", async () => {
    await expect(loadLocalEndpointConfig(join(dir, "missing.yaml"))).rejects.toMatchObject({
      code: "LOCAL_CONFIG_FILE",
      message: expect.stringContaining("ENOENT"),
    });
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{ endpoints: ");
    await expect(loadLocalEndpointConfig(broken)).rejects.toMatchObject({
      code: "LOCAL_CONFIG_FILE",
    });
    const wrong = join(dir, "wrong.yaml");
    writeFileSync(wrong, "endpoints:\n  bad_name:\n    backend: { type: demo }\n");
    await expect(loadLocalEndpointConfig(wrong)).rejects.toMatchObject({
      code: "LOCAL_CONFIG_INVALID",
      message: expect.stringContaining(wrong),
    });
  });
});

describe("defaults from the environment", () => {
  const endpoints = { ep1: { backend: echoBackend() } };

  it("accepts tokens from the AWS environment credentials when the config names none, in AWS_REGION", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", TEST_CREDENTIALS.secretAccessKey);
    vi.stubEnv("AWS_SESSION_TOKEN", "env-session");
    vi.stubEnv("AWS_REGION", "ap-southeast-2");
    const local = await startLocalEndpoint({ endpoints });
    try {
      expect(local.region).toBe("ap-southeast-2");
      const token = await mintToken({
        region: "ap-southeast-2",
        credentials: { ...TEST_CREDENTIALS, sessionToken: "env-session" },
      });
      const res = await postChat(local.url, token);
      expect(res.status).toBe(200);
    } finally {
      await local.close();
    }
  });

  it("defaults the region to us-west-2 and fails clearly without any credentials", async () => {
    vi.stubEnv("AWS_REGION", "");
    vi.stubEnv("AWS_DEFAULT_REGION", "");
    vi.stubEnv("AWS_ACCESS_KEY_ID", "");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "");
    const error = await startLocalEndpoint({ endpoints }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocalEndpointEnvironmentError);
    expect(error).toMatchObject({
      code: "LOCAL_NO_CREDENTIALS",
      message: expect.stringContaining("AWS_ACCESS_KEY_ID"),
    });
    const local = await startLocalEndpoint({ endpoints, credentials });
    expect(local.region).toBe("us-west-2");
    await local.close();
  });
});

describe("no config", () => {
  it("serves the default config (demo model, endpoints demo and agents) on a free loopback port", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", TEST_CREDENTIALS.secretAccessKey);
    vi.stubEnv("AWS_SESSION_TOKEN", "");
    vi.stubEnv("AWS_REGION", "us-west-2");
    const local = await startLocalEndpoint();
    try {
      expect(new URL(local.url).hostname).toBe("127.0.0.1");
      expect(local.port).toBeGreaterThan(0);
      expect(local.targets().map(({ endpoint, component }) => [endpoint, component])).toEqual([
        ["demo", undefined],
        ["agents", "coder"],
        ["agents", "reviewer"],
      ]);
      const res = await postChat(local.url, await mintToken(), {
        path: "/endpoints/demo/openai/v1/chat/completions",
      });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ model: "demo-qwen3-4b" });
    } finally {
      await local.close();
    }
  });

  it("without credentials in the environment says to pass them or set them", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "");
    const error = await startLocalEndpoint().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocalEndpointEnvironmentError);
    expect(error).toMatchObject({
      code: "LOCAL_NO_CREDENTIALS",
      message: expect.stringMatching(/credentials: \[\{ accessKeyId.*AWS_ACCESS_KEY_ID/s),
    });
  });
});

describe("listening", () => {
  const endpoints = { ep1: { backend: echoBackend() } };

  it("refuses a non-loopback host unless allowed, and then warns on stderr", async () => {
    await expect(
      startLocalEndpoint({ endpoints, credentials, host: "0.0.0.0" }),
    ).rejects.toMatchObject({
      code: "LOCAL_NON_LOOPBACK",
    });
    const writes: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const local = await startLocalEndpoint({
      endpoints,
      credentials,
      host: "0.0.0.0",
      allowNonLoopback: true,
    });
    await local.close();
    expect(writes.join("")).toContain("warning: the local SageMaker endpoint listens on 0.0.0.0");
  });

  it("reports a port in use as LOCAL_LISTEN_FAILED", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startLocalEndpoint({ endpoints, credentials, port })).rejects.toMatchObject({
        code: "LOCAL_LISTEN_FAILED",
        message: expect.stringContaining("EADDRINUSE"),
      });
    } finally {
      blocker.close();
    }
  });

  it("reports a backend config the factory rejects as LOCAL_BACKEND_INVALID, naming where and what", async () => {
    // As a YAML file would give it: validateLocalEndpointConfig leaves backend options to the factory.
    const config = validateLocalEndpointConfig({
      credentials,
      endpoints: {
        ep1: { backend: { type: "demo" } },
        ep2: { inferenceComponents: { coder: { backend: { type: "demo", toolCalls: "xml" } } } },
      },
    });
    await expect(startLocalEndpoint(config)).rejects.toMatchObject({
      code: "LOCAL_BACKEND_INVALID",
      message: expect.stringMatching(
        /^endpoints\.ep2\.inferenceComponents\.coder\.backend: .*toolCalls/,
      ),
    });
    const unknown = validateLocalEndpointConfig({
      credentials,
      endpoints: { ep1: { backend: { type: "tgi" } } },
    });
    await expect(startLocalEndpoint(unknown)).rejects.toMatchObject({
      code: "LOCAL_BACKEND_INVALID",
    });
  });

  it("closes idempotently, leaving backends the user built open", async () => {
    const backend: ChatBackend & { closed: number } = {
      ...echoBackend(),
      closed: 0,
      close: async () => void backend.closed++,
    };
    const local = await startLocalEndpoint({ credentials, endpoints: { ep1: { backend } } });
    await Promise.all([local.close(), local.close()]);
    expect(backend.closed).toBe(0);
    await expect(rawRequest(local.url, { path: "/" })).rejects.toThrow();
  });
});
