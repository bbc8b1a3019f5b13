/**
 * The access log: what it records per request, that it stays bounded, that it
 * also writes JSON lines to a file, and that no token ever reaches it.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import OpenAI from "openai";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import {
  CHAT_BODY,
  mintToken,
  postChat,
  rawRequest,
  startTestEndpoint,
} from "../helpers/local-endpoint.js";

/** How long to wait for an event the server must produce (generous: the machine may be loaded). */
const EVENT = { timeout: 10_000 };

describe("access log", () => {
  it("records every request with its outcome, in memory and as JSON lines, without tokens", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "local-log-")), "access.jsonl");
    const local = await startTestEndpoint({ accessLogFile: file });
    const token = await mintToken();
    try {
      const client = new OpenAI({
        baseURL: local.baseURL("ep2", "coder"),
        apiKey: token,
        maxRetries: 0,
      });
      await client.chat.completions.create({
        model: "",
        messages: [{ role: "user", content: "a" }],
      });
      const stream = await client.chat.completions.create({
        model: "",
        messages: [{ role: "user", content: "b" }],
        stream: true,
      });
      for await (const _chunk of stream) {
        // drain
      }
      await rawRequest(local.url, {
        path: "/endpoints/ep1/openai/v1/chat/completions",
        body: CHAT_BODY,
      });
      // A token pasted into the path is redacted too (here one whose base64 has no "/").
      const pasted = `sagemaker-api-key-${token.slice(18).replace(/[^A-Za-z0-9]/g, "A")}`;
      await postChat(local.url, token, {
        path: `/endpoints/${pasted}/openai/v1/chat/completions`,
      });

      expect(local.requests).toHaveLength(4);
      const [plain, streamed, unauthenticated, smuggled] = local.requests;
      expect(plain).toEqual({
        time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        method: "POST",
        path: "/endpoints/ep2/inference-components/coder/openai/v1/chat/completions",
        endpoint: "ep2",
        component: "coder",
        status: 200,
        accessKeyId: "AKIAIOSFODNN7EXAMPLE",
        latencyMs: expect.any(Number),
        stream: false,
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(streamed).toMatchObject({ status: 200, stream: true });
      expect(unauthenticated).toMatchObject({
        status: 401,
        accessKeyId: null,
        reason: "MISSING_AUTHORIZATION",
      });
      expect(smuggled).toMatchObject({ status: 400, endpoint: "sagemaker-api-key-[REDACTED]" });
      expect(smuggled?.path).toContain("sagemaker-api-key-[REDACTED]");

      await local.close();
      const lines = readFileSync(file, "utf8").trim().split("\n");
      expect(lines.map((line) => JSON.parse(line))).toEqual(local.requests);

      const body = token.slice("sagemaker-api-key-".length);
      for (const text of [
        readFileSync(file, "utf8"),
        JSON.stringify(local.requests),
        inspect(local.requests, { depth: 5 }),
      ]) {
        expect(text).not.toContain(body.slice(0, 24));
      }
    } finally {
      await local.close();
    }
  });

  it("idle() waits until a request in progress has ended and is logged", async () => {
    const local = await startTestEndpoint();
    onTestFinished(() => local.close());
    const token = await mintToken();
    await expect(local.idle()).resolves.toBeUndefined();
    local.injectFault({ endpoint: "ep1", latencyMs: 600_000 });
    const client = new AbortController();
    const pending = new OpenAI({
      baseURL: local.baseURL("ep1"),
      apiKey: token,
      maxRetries: 0,
    }).chat.completions
      .create(
        { model: "", messages: [{ role: "user", content: "slow" }] },
        { signal: client.signal },
      )
      .catch(() => "aborted");
    // The server has the request once it has taken the fault.
    await vi.waitFor(async () => {
      const listed = (await rawRequest(local.url, { method: "GET", path: "/_local/faults" })).json;
      expect(listed).toEqual({ faults: [] });
    }, EVENT);
    let idle = false;
    const waiting = local.idle().then(() => {
      idle = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(idle).toBe(false);
    expect(local.requests).toHaveLength(0);
    client.abort();
    expect(await pending).toBe("aborted");
    await waiting;
    expect(local.requests).toEqual([
      expect.objectContaining({ path: "/endpoints/ep1/openai/v1/chat/completions", status: 0 }),
    ]);
  });

  it("keeps at most maxLoggedRequests entries, dropping the oldest", async () => {
    const local = await startTestEndpoint({ maxLoggedRequests: 10 });
    try {
      for (let i = 0; i < 25; i++) {
        await rawRequest(local.url, { path: `/nowhere/${i}`, method: "GET" });
      }
      expect(local.requests.length).toBeLessThanOrEqual(10);
      expect(local.requests.at(-1)?.path).toBe("/nowhere/24");
    } finally {
      await local.close();
    }
  });
});
