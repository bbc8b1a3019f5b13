/**
 * Injected faults as a client experiences them: statuses with SageMaker-style
 * bodies, latency, cut streams, malformed SSE and trickled bytes, set in the
 * config, through the API and through the loopback control routes.
 */
import { request as httpRequest } from "node:http";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  CHAT_BODY,
  mintToken,
  postChat,
  rawRequest,
  startTestEndpoint,
  type TestEndpoint,
} from "../helpers/local-endpoint.js";

let local: TestEndpoint;
let token: string;

beforeAll(async () => {
  local = await startTestEndpoint({
    faults: [{ endpoint: "ep2", component: "reviewer", status: 500 }],
  });
  token = await mintToken();
});
afterAll(() => local.close());
afterEach(() => {
  local.clearFaults();
});

function client(endpoint = "ep1", component?: string, maxRetries = 0): OpenAI {
  return new OpenAI({ baseURL: local.baseURL(endpoint, component), apiKey: token, maxRetries });
}
const ask = (c: OpenAI) =>
  c.chat.completions.create({ model: "", messages: [{ role: "user", content: "hello" }] });
const askStream = (c: OpenAI) =>
  c.chat.completions.create({
    model: "",
    messages: [{ role: "user", content: "hello" }],
    stream: true,
  });

describe("status faults", () => {
  it("a config fault is active from the start (500 InternalFailure on one component only)", async () => {
    await expect(ask(client("ep2", "coder"))).resolves.toBeDefined();
    const error = await ask(client("ep2", "reviewer")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status: 500, type: "InternalFailure", code: "InternalFailure" });
    await expect(ask(client("ep2", "reviewer"))).resolves.toBeDefined();
  });

  it("503 ServiceUnavailable for the next `count` requests, then normal answers", async () => {
    local.injectFault({ endpoint: "ep1", status: 503, count: 2 });
    for (let i = 0; i < 2; i++) {
      const error = await ask(client()).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 503, type: "ServiceUnavailable" });
    }
    await expect(ask(client())).resolves.toBeDefined();
    expect(local.requests.slice(-3).map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it("429 ThrottlingException carries Retry-After, which the SDK's retry honours", async () => {
    local.injectFault({ endpoint: "ep1", status: 429, retryAfterSeconds: 0 });
    const res = await postChat(local.url, token);
    expect(res.status).toBe(429);
    expect(res.headers["retry-after"]).toBe("0");
    expect(res.headers["x-amzn-errortype"]).toBe("ThrottlingException");
    expect(res.json).toMatchObject({
      error: { type: "ThrottlingException", message: "Rate exceeded for endpoint ep1." },
    });

    local.injectFault({ endpoint: "ep1", status: 429, retryAfterSeconds: 0 });
    const completion = await ask(client("ep1", undefined, 2));
    expect(completion.choices[0]?.message.content).toBe("echo: hello");
    expect(local.requests.slice(-2).map((r) => r.status)).toEqual([429, 200]);
  });

  it("429 sends Retry-After: 1 when none is given", async () => {
    local.injectFault({ endpoint: "ep1", status: 429 });
    const error = await ask(client()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after")).toBe(
      "1",
    );
  });

  it("424 ModelError quotes the container's status as SageMaker does", async () => {
    local.injectFault({ endpoint: "ep1", status: 424 });
    const error = await ask(client()).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 424, type: "ModelError" });
    expect((error as Error).message).toContain("Received server error (500) from primary");
  });

  it("a custom message replaces the default; `always` lasts until cleared", async () => {
    local.injectFault({ endpoint: "ep1", status: 503, count: "always", message: "scaled to zero" });
    for (let i = 0; i < 3; i++) {
      await expect(ask(client())).rejects.toMatchObject({
        status: 503,
        message: "503 scaled to zero",
      });
    }
    expect(local.clearFaults("ep1")).toBe(1);
    await expect(ask(client())).resolves.toBeDefined();
  });

  it("an unauthenticated request does not use up a fault", async () => {
    local.injectFault({ endpoint: "ep1", status: 503 });
    const res = await rawRequest(local.url, {
      path: "/endpoints/ep1/openai/v1/chat/completions",
      body: CHAT_BODY,
    });
    expect(res.status).toBe(401);
    await expect(ask(client())).rejects.toMatchObject({ status: 503 });
  });
});

describe("latency and byte-level faults", () => {
  it("latencyMs delays the answer by at least that much", async () => {
    local.injectFault({ endpoint: "ep1", latencyMs: 250 });
    await expect(ask(client())).resolves.toBeDefined();
    expect(local.requests.at(-1)?.latencyMs).toBeGreaterThanOrEqual(250);
  });

  it("cutStreamAfterChunks drops the connection after K chunks: K events arrive, then the response fails", async () => {
    local.injectFault({ endpoint: "ep1", cutStreamAfterChunks: 2 });
    const { hostname, port } = new URL(local.url);
    const outcome = await new Promise<{ text: string; failed: boolean }>((resolve) => {
      const req = httpRequest(
        {
          host: hostname,
          port,
          method: "POST",
          path: "/endpoints/ep1/openai/v1/chat/completions",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          agent: false,
        },
        (res) => {
          let text = "";
          res.on("data", (data: Buffer) => {
            text += data.toString("utf8");
          });
          res.on("error", () => resolve({ text, failed: true }));
          res.on("end", () => resolve({ text, failed: false }));
        },
      );
      req.end(JSON.stringify({ stream: true, messages: [{ role: "user", content: "hello" }] }));
    });
    expect(outcome.failed).toBe(true);
    const events = outcome.text.split("\n\n").filter((e) => e !== "");
    expect(events).toHaveLength(2);
    expect(JSON.parse(events[1]?.slice(6) ?? "")).toMatchObject({
      choices: [{ delta: { content: "echo: " } }],
    });
    expect(local.requests.at(-1)).toMatchObject({ status: 200, stream: true, reason: "FAULT_CUT" });

    // Through the SDK the stream ends in an error, never in a silent, clean end.
    local.injectFault({ endpoint: "ep1", cutStreamAfterChunks: 2 });
    const consume = async () => {
      for await (const _chunk of await askStream(client())) {
        // reading until the cut
      }
    };
    await expect(consume()).rejects.toThrow();
  });

  it("cutStreamAfterChunks: 0 on a JSON answer resets the connection before any response", async () => {
    local.injectFault({ endpoint: "ep1", cutStreamAfterChunks: 0 });
    await expect(ask(client())).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    expect(local.requests.at(-1)).toMatchObject({ status: 0, reason: "FAULT_CUT" });
  });

  it("malformedSse slips an event whose data is not JSON into the stream", async () => {
    local.injectFault({ endpoint: "ep1", malformedSse: true });
    const res = await postChat(local.url, token, {
      body: JSON.stringify({ stream: true, messages: [{ role: "user", content: "x" }] }),
    });
    const events = res.text
      .split("\n\n")
      .filter((e) => e.startsWith("data: ") && e !== "data: [DONE]");
    const bad = events.filter((e) => {
      try {
        JSON.parse(e.slice(6));
        return false;
      } catch {
        return true;
      }
    });
    expect(bad).toHaveLength(1);
    expect(res.text.endsWith("data: [DONE]\n\n")).toBe(true);

    local.injectFault({ endpoint: "ep1", malformedSse: true });
    const consume = async () => {
      for await (const _chunk of await askStream(client())) {
        // reading until the bad event
      }
    };
    await expect(consume()).rejects.toThrow();
  });

  it("trickleBytesPerSecond delivers the same bytes, slowly", async () => {
    local.injectFault({ endpoint: "ep1", trickleBytesPerSecond: 1000 });
    const completion = await ask(client());
    expect(completion.choices[0]?.message.content).toBe("echo: hello");
    const size = JSON.stringify(completion).length;
    // At 1000 B/s a body of `size` bytes needs about size ms; allow one 100 ms tick of slack.
    expect(local.requests.at(-1)?.latencyMs).toBeGreaterThanOrEqual(size - 150);
  });
});

describe("injectFault validation", () => {
  it("refuses unknown targets and invalid faults with typed errors", () => {
    expect(() => local.injectFault({ endpoint: "nope", status: 503 })).toThrow(
      expect.objectContaining({ code: "LOCAL_UNKNOWN_TARGET" }),
    );
    expect(() => local.injectFault({ endpoint: "ep1", component: "coder", status: 503 })).toThrow(
      expect.objectContaining({ code: "LOCAL_UNKNOWN_TARGET" }),
    );
    expect(() => local.injectFault({ endpoint: "ep1", status: 200 })).toThrow(
      expect.objectContaining({ code: "LOCAL_CONFIG_INVALID" }),
    );
    expect(() => local.injectFault({ endpoint: "ep1" })).toThrow(
      expect.objectContaining({ code: "LOCAL_CONFIG_INVALID" }),
    );
  });
});

describe("control routes (loopback only)", () => {
  const control = (
    method: string,
    path: string,
    body?: unknown,
    contentType = "application/json",
  ) =>
    rawRequest(local.url, {
      method,
      path: `/_local/${path}`,
      headers: body === undefined ? {} : { "content-type": contentType },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it("adds, lists and clears faults", async () => {
    const added = await control("POST", "faults", { endpoint: "ep1", status: 503, count: 3 });
    expect(added.status).toBe(201);
    expect((await control("GET", "faults")).json).toMatchObject({
      faults: [{ remaining: 3, spec: { status: 503 } }],
    });
    await expect(ask(client())).rejects.toMatchObject({ status: 503 });
    expect((await control("GET", "faults")).json).toMatchObject({ faults: [{ remaining: 2 }] });
    expect((await control("DELETE", "faults?endpoint=ep1")).json).toEqual({ cleared: 1 });
    await expect(ask(client())).resolves.toBeDefined();
  });

  it("refuses faults that are invalid, untyped or aimed at nothing", async () => {
    expect((await control("POST", "faults", { endpoint: "ep1", status: 42 })).status).toBe(400);
    expect((await control("POST", "faults", { endpoint: "zz", status: 503 })).json).toMatchObject({
      error: { type: "BadRequestError" },
    });
    const untyped = await control("POST", "faults", { endpoint: "ep1", status: 503 }, "text/plain");
    expect(untyped.status).toBe(415);
    expect(untyped.json).toMatchObject({
      error: { type: "UnsupportedMediaTypeException", code: "UNSUPPORTED_MEDIA_TYPE" },
    });
    expect((await control("GET", "faults")).json).toEqual({ faults: [] });
  });

  it("serves and clears the access log, and 404s unknown control paths", async () => {
    await ask(client());
    const listed = (await control("GET", "requests")).json as { requests: Array<{ path: string }> };
    expect(listed.requests.at(-1)?.path).toBe("/endpoints/ep1/openai/v1/chat/completions");
    expect((await control("DELETE", "requests")).status).toBe(200);
    expect(local.requests).toHaveLength(0);
    expect((await control("GET", "nothing")).status).toBe(404);
  });
});
