/**
 * Sends chat completion requests for `ChatSageMakerOpenAI` with its retry
 * policy: one loop around the OpenAI client (whose own retries are off) that
 * retries throttling, 5xx, connection failures and streams cut before their
 * first chunk, honours `Retry-After`, corrects clock skew once, and turns every
 * other failure into a {@link SageMakerModelError}. An abort is not one: it is
 * passed on as LangChain's abort error (`wrapOpenAIClientError`), and a non-JSON
 * answer to a structured-output request as the SDK's `SyntaxError`.
 */
import { wrapOpenAIClientError } from "@langchain/openai";
import type OpenAI from "openai";
import { APIError } from "openai";
import { Stream } from "openai/core/streaming";
import { checkMaxRetries } from "../client/request-limits.js";
import { classifyFailure } from "./classify.js";
import type { ClockSkew } from "./clock-skew.js";
import { coalesceWhenBehind } from "./coalesce.js";
import { withAttempts } from "./errors.js";
import type { SageMakerTarget } from "./options.js";
import { backoffDelay, type RetryPolicy, waitBeforeRetry } from "./retry.js";
import type { ErrorBodies } from "./transport.js";

type ChatCompletion = OpenAI.Chat.Completions.ChatCompletion;
type ChatCompletionChunk = OpenAI.Chat.Completions.ChatCompletionChunk;
type StreamingParams = OpenAI.Chat.ChatCompletionCreateParamsStreaming;
type NonStreamingParams = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;

/** Per-call options: the SDK's request options plus a retry budget override. */
export type CallOptions = OpenAI.RequestOptions & { maxRetries?: number | undefined };

/** Everything a requester needs; shared by a model and its `withConfig` copies. */
export interface RequesterConfig {
  client: OpenAI;
  target: SageMakerTarget;
  policy: RetryPolicy;
  bodies: ErrorBodies;
  /** Present when the model owns its token provider and may correct its clock. */
  skew?: ClockSkew;
}

function isAbort(error: unknown, signal: AbortSignal | null | undefined): boolean {
  return (
    signal?.aborted === true ||
    (error instanceof Error &&
      (error.name === "AbortError" || error.constructor.name === "APIUserAbortError"))
  );
}

/** A chunk that is really an error: flat (`{"object":"error",...}`) or nested (`{"error":{...}}`). */
function errorInChunk(value: unknown): APIError | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (record.object === "error") return new APIError(undefined, record, undefined, undefined);
  if (record.error !== undefined && record.error !== null && record.choices === undefined) {
    return new APIError(undefined, record.error, undefined, undefined);
  }
  return undefined;
}

/** Whether a chunk carries anything beyond the opening role delta. */
function isSubstantive(chunk: ChatCompletionChunk): boolean {
  if (chunk.usage != null) return true;
  for (const choice of chunk.choices ?? []) {
    if (choice.finish_reason != null) return true;
    const delta = choice.delta as Record<string, unknown> | undefined;
    if (delta === undefined) continue;
    if (typeof delta.content === "string" && delta.content !== "") return true;
    if (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) return true;
    if (delta.function_call != null || delta.refusal != null) return true;
    for (const key of ["reasoning", "reasoning_content"]) {
      if (typeof delta[key] === "string" && delta[key] !== "") return true;
    }
  }
  return false;
}

/** Runs requests with retries; see the module comment. */
export class SageMakerRequester {
  constructor(private readonly config: RequesterConfig) {}

  /** The endpoint and component this requester calls. */
  get target(): SageMakerTarget {
    return this.config.target;
  }

  /** A non-streaming completion; `parse` uses the SDK's structured-output parsing. */
  complete(
    request: NonStreamingParams,
    options: CallOptions,
    parse: boolean,
  ): Promise<ChatCompletion> {
    const { maxRetries, ...sdkOptions } = options;
    const completions = this.config.client.chat.completions;
    return this.withRetries(maxRetries, sdkOptions.signal ?? undefined, false, () =>
      parse
        ? (completions.parse(request, { ...sdkOptions, maxRetries: 0 }) as Promise<ChatCompletion>)
        : completions.create(request, { ...sdkOptions, maxRetries: 0 }),
    );
  }

  /**
   * A streaming completion. Resolves once the first chunk with content (text,
   * reasoning, a tool call, a finish) has arrived, so a stream cut before it is
   * retried like a failed request; a break after that fails the iteration with
   * `STREAM_INTERRUPTED`.
   */
  stream(
    request: StreamingParams,
    options: CallOptions,
  ): Promise<AsyncIterable<ChatCompletionChunk>> {
    const { maxRetries, ...sdkOptions } = options;
    const signal = sdkOptions.signal ?? undefined;
    return this.withRetries(maxRetries, signal, true, async () => {
      // The SDK's own stream class instead of the client's `RedactingStream`
      // (create-client.ts sets that only when none is given): no per-chunk
      // redaction step, since every failure read here is rethrown as a typed error
      // that redacts its cause (classifyFailure) or as an abort, which carries no
      // server text. The SDK still normalises the chunks (`finish_reason: null`).
      const stream = await this.config.client.chat.completions.create(request, {
        ...sdkOptions,
        maxRetries: 0,
        __streamClass: Stream,
      });
      const iterator = stream[Symbol.asyncIterator]();
      // Read up to the first chunk that says something (text, reasoning, a tool
      // call, a finish): a cut before it loses nothing, so it is retried.
      const opening: ChatCompletionChunk[] = [];
      let last: IteratorResult<ChatCompletionChunk>;
      try {
        do {
          last = await iterator.next();
          if (last.done) break;
          const failure = errorInChunk(last.value);
          if (failure !== undefined) throw failure;
          opening.push(last.value);
        } while (!isSubstantive(last.value));
      } catch (error) {
        stream.controller.abort();
        throw error;
      }
      return this.rest(iterator, opening, last.done === true, signal, () =>
        stream.controller.abort(),
      );
    });
  }

  private async *rest(
    iterator: AsyncIterator<ChatCompletionChunk>,
    opening: ChatCompletionChunk[],
    ended: boolean,
    signal: AbortSignal | undefined,
    abort: () => void,
  ): AsyncGenerator<ChatCompletionChunk> {
    let done = ended;
    // While the process is behind, chunks that already arrived come as one (coalesce.ts).
    const chunks = coalesceWhenBehind(iterator);
    try {
      yield* opening;
      while (!done) {
        const next = await chunks.next();
        done = next.done === true;
        if (done) break;
        const failure = errorInChunk(next.value);
        if (failure !== undefined) throw failure;
        yield next.value;
      }
    } catch (error) {
      if (isAbort(error, signal)) throw wrapOpenAIClientError(error);
      const classified = classifyFailure(error, this.config.target, undefined, true);
      throw classified.error;
    } finally {
      chunks.release();
      // The consumer stopped early (or failed): release the connection.
      if (!done) abort();
    }
  }

  private async withRetries<T>(
    maxRetriesOverride: number | undefined,
    signal: AbortSignal | undefined,
    streaming: boolean,
    run: () => Promise<T>,
  ): Promise<T> {
    const { policy, skew, target, bodies } = this.config;
    const budget =
      checkMaxRetries(maxRetriesOverride, "the maxRetries call option") ?? policy.maxRetries;
    let attempts = 0;
    let retries = 0;
    let skewCorrected = false;
    for (;;) {
      attempts += 1;
      try {
        return await run();
      } catch (raw) {
        if (isAbort(raw, signal)) throw wrapOpenAIClientError(raw);
        // A non-JSON answer to a JSON-schema request (the SDK's `parse`): not a transport failure.
        if (!streaming && raw instanceof SyntaxError) throw raw;
        const failure = classifyFailure(raw, target, bodies.of(raw), false);
        if (
          failure.clockRefusal !== undefined &&
          skew !== undefined &&
          !skewCorrected &&
          skew.correct(failure.clockRefusal.serverDate)
        ) {
          // The one retry the AWS SDKs allow after a skew correction; not part of the budget.
          skewCorrected = true;
          continue;
        }
        const error = withAttempts(failure.error, attempts);
        if (!failure.retryable || retries >= budget) throw error;
        const retryAfter = failure.retryAfterMs;
        if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) throw error;
        const delayMs = retryAfter ?? backoffDelay(policy, retries);
        retries += 1;
        policy.onRetry?.({
          attempt: attempts,
          delayMs,
          fromRetryAfter: retryAfter !== undefined,
          error,
        });
        await waitBeforeRetry(delayMs, signal);
      }
    }
  }
}
