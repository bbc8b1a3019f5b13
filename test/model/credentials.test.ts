/**
 * ChatSageMakerOpenAI when credentials are slow or never come, against the
 * local endpoint over real HTTP: the credentials time limit, asking again
 * after a failure, and an AbortSignal ending a call wherever it waits, always
 * with the package's typed errors.
 */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsCredentials } from "../../src/auth/index.js";
import { CredentialsError } from "../../src/auth/index.js";
import type { LocalEndpoint } from "../../src/local/index.js";
import { createSageMakerChatModels, RequestAbortedError } from "../../src/model/index.js";
import { collect, modelFor, startDemoEndpoint, TEST_CREDENTIALS } from "./model-helpers.js";

let local: LocalEndpoint;
beforeAll(async () => {
  local = await startDemoEndpoint();
});
afterAll(() => local.close());

/**
 * A credential provider that hangs until `answer()`: calls made before that
 * wait (and settle with the test credentials when it comes), later calls answer
 * at once. `called` resolves on the first call.
 */
function hangingCredentials() {
  const waiting: Array<(credentials: AwsCredentials) => void> = [];
  let answering = false;
  let noticeCall: () => void = () => {};
  const state = {
    calls: 0,
    called: new Promise<void>((resolve) => {
      noticeCall = resolve;
    }),
  };
  const provider = (): Promise<AwsCredentials> => {
    state.calls += 1;
    noticeCall();
    if (answering) return Promise.resolve({ ...TEST_CREDENTIALS });
    return new Promise((resolve) => waiting.push(resolve));
  };
  const answer = () => {
    answering = true;
    for (const resolve of waiting.splice(0)) resolve({ ...TEST_CREDENTIALS });
  };
  return { provider, state, answer };
}

/** A callback handler that asks for streamed tokens, which makes `invoke` stream. */
class TokenRecorder extends BaseCallbackHandler {
  name = "token-recorder";
  lc_prefer_streaming = true;
  readonly tokens: string[] = [];
  override handleLLMNewToken(token: string): void {
    this.tokens.push(token);
  }
}

describe("credentialsTimeoutMs", () => {
  it("ends a call whose credentials do not come with CREDENTIALS_UNAVAILABLE; the next call asks again", async () => {
    const { provider, state, answer } = hangingCredentials();
    const model = modelFor(local, { credentials: provider, credentialsTimeoutMs: 50 });
    const before = local.requests.length;
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const error = await model.invoke("hi").catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CredentialsError);
      expect(error).toMatchObject({ code: "CREDENTIALS_UNAVAILABLE" });
      expect((error as Error).message).toContain("did not answer within 50 ms");
      expect(state.calls).toBe(attempt);
    }
    expect(local.requests.length).toBe(before);
    // Once the provider answers, the same model works: nothing stayed stuck.
    answer();
    const reply = await model.invoke("hello after recovery");
    expect(String(reply.content)).toContain("hello after recovery");
    expect(state.calls).toBe(3);
  });

  it("reaches the token provider that createSageMakerChatModels shares", async () => {
    const { provider, answer } = hangingCredentials();
    const { models, close } = createSageMakerChatModels({
      region: local.region,
      endpointName: "multi",
      baseURL: local.url,
      credentials: provider,
      credentialsTimeoutMs: 50,
      components: { general: {} },
    });
    const error = await models.general.invoke("hi").catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "CREDENTIALS_UNAVAILABLE" });
    answer();
    await close();
  });
});

describe("an AbortSignal ends a call with RequestAbortedError", () => {
  it("while the call waits for credentials, at once and not after the credentials time limit", async () => {
    const { provider, state, answer } = hangingCredentials();
    const model = modelFor(local, { credentials: provider, credentialsTimeoutMs: 600_000 });
    const controller = new AbortController();
    const pending = model.invoke("hi", { signal: controller.signal }).catch((e: unknown) => e);
    await state.called;
    controller.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(error).toMatchObject({ code: "ABORTED", name: "AbortError", endpointName: "ep" });
    expect(error).not.toBeInstanceOf(DOMException);
    expect((error as Error).cause).toBe(controller.signal.reason);

    // A stream too.
    const streamController = new AbortController();
    const streaming = model
      .stream("hi", { signal: streamController.signal })
      .then(collect)
      .catch((e: unknown) => e);
    streamController.abort(new Error("user pressed stop"));
    const streamError = await streaming;
    expect(streamError).toBeInstanceOf(RequestAbortedError);
    expect((streamError as Error).message).toContain("user pressed stop");
    answer();
  });

  it("while an invoke streams to a callback handler (as LangGraph's messages mode does)", async () => {
    const { provider, state, answer } = hangingCredentials();
    const model = modelFor(local, { credentials: provider, credentialsTimeoutMs: 600_000 });
    const controller = new AbortController();
    const recorder = new TokenRecorder();
    const pending = model
      .invoke("hi", { signal: controller.signal, callbacks: [recorder] })
      .catch((e: unknown) => e);
    await state.called;
    controller.abort();
    expect(await pending).toBeInstanceOf(RequestAbortedError);
    expect(recorder.tokens).toEqual([]);
    answer();
  });

  it("while the call waits to retry", async () => {
    local.injectFault({ endpoint: "ep", status: 503, retryAfterSeconds: 20 });
    const controller = new AbortController();
    const model = modelFor(local, {
      retry: { onRetry: () => controller.abort() },
    });
    const error = await model
      .invoke("hi", { signal: controller.signal })
      .catch((caught: unknown) => caught);
    local.clearFaults();
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(error).toMatchObject({ code: "ABORTED" });
  });

  it("before it starts, without a request", async () => {
    const before = local.requests.length;
    const error = await modelFor(local)
      .invoke("hi", { signal: AbortSignal.abort() })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(local.requests.length).toBe(before);
  });
});
