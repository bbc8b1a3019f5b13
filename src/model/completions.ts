/**
 * The Chat Completions delegate `ChatSageMakerOpenAI` hands to `ChatOpenAI`
 * (as `AzureChatOpenAI` hands in its own). It keeps LangChain's request
 * building and response conversion and hooks four places:
 * - the OpenAI client is ours (bearer tokens, error bodies, pool), built once and shared;
 * - `completionWithRetry` goes through {@link SageMakerRequester} (our retries, typed errors);
 * - `reasoning` (current vLLM) is read like `reasoning_content` (what ChatOpenAI reads);
 * - output passes through {@link transformMessage} / {@link StreamOutputTransformer};
 * - a zod `response_format` (`withStructuredOutput`) is converted to JSON schema once per
 *   schema, name and description instead of on every `invocationParams` (three per call).
 */
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { ChatModelStreamEvent } from "@langchain/core/language_models/event";
import { AIMessageChunk, type BaseMessage, type BaseMessageChunk } from "@langchain/core/messages";
import type { ChatGenerationChunk, ChatResult } from "@langchain/core/outputs";
import { isInteropZodSchema } from "@langchain/core/utils/types";
import {
  type BaseChatOpenAIFields,
  type ChatOpenAICallOptions,
  ChatOpenAICompletions,
  type OpenAICoreRequestOptions,
  type ResponseFormatConfiguration,
} from "@langchain/openai";
import type OpenAI from "openai";
import { checkTimeout } from "../client/request-limits.js";
import { withTypedAbort } from "./abort.js";
import {
  type OutputSettings,
  StreamOutputTransformer,
  transformMessage,
  transformsOutput,
} from "./output.js";
import { readReasoningField } from "./reasoning/field.js";
import type { CallOptions, SageMakerRequester } from "./requester.js";

type StreamingParams = OpenAI.Chat.ChatCompletionCreateParamsStreaming;
type NonStreamingParams = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
type ChatCompletion = OpenAI.Chat.Completions.ChatCompletion;
type ChatCompletionChunk = OpenAI.Chat.Completions.ChatCompletionChunk;

/** What the delegate shares with its model and the model's `withConfig` copies. */
export interface CompletionsRuntime {
  client: OpenAI;
  requester: SageMakerRequester;
  output: OutputSettings;
}

/**
 * ChatOpenAI's conversions of zod response formats, per schema, then per name and description
 * (all it reads). LangChain calls `invocationParams` for the run's tracing metadata, its
 * LangSmith parameters and the request, and each converted the schema again. Zod schemas are
 * immutable, and the converted format is only read (serialised into the body, its parser
 * called on the answer), so one conversion serves every call.
 */
const convertedFormats = new WeakMap<
  object,
  Map<string, ResponseFormatConfiguration | undefined>
>();

/** Request options the SDK honours, picked from whatever LangChain passes down. */
function sdkOptions(options: Record<string, unknown> | undefined): CallOptions {
  if (options === undefined) return {};
  const nested = (options.options ?? {}) as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const source of [options, nested]) {
    for (const key of [
      "signal",
      "timeout",
      "headers",
      "fetchOptions",
      "maxRetries",
      "idempotencyKey",
    ]) {
      if (source[key] !== undefined) picked[key] = source[key];
    }
  }
  checkTimeout(picked.timeout, "the timeout call option");
  return picked as CallOptions;
}

/**
 * `ChatOpenAICompletions` for SageMaker. Internal: users construct
 * `ChatSageMakerOpenAI`, which builds one of these.
 *
 * @internal
 */
export class SageMakerChatCompletions extends ChatOpenAICompletions<ChatOpenAICallOptions> {
  private readonly runtime: CompletionsRuntime;

  constructor(fields: BaseChatOpenAIFields, runtime: CompletionsRuntime) {
    super(fields);
    this.runtime = runtime;
    // Set before first use so ChatOpenAI never builds its own client (with the
    // user's OPENAI_* environment and without our transport).
    this.client = runtime.client;
  }

  protected override _getResponseFormat(
    resFormat?: ChatOpenAICallOptions["response_format"],
  ): ResponseFormatConfiguration | undefined {
    const jsonSchema = resFormat?.type === "json_schema" ? resFormat.json_schema : undefined;
    const schema: unknown = jsonSchema?.schema;
    if (jsonSchema === undefined || !isInteropZodSchema(schema)) {
      return super._getResponseFormat(resFormat);
    }
    let byName = convertedFormats.get(schema);
    if (byName === undefined) {
      byName = new Map();
      convertedFormats.set(schema, byName);
    }
    // typeof: an absent description and a null one are different requests.
    const { name, description } = jsonSchema;
    const key = JSON.stringify([typeof name, name ?? "", typeof description, description ?? ""]);
    if (!byName.has(key)) byName.set(key, super._getResponseFormat(resFormat));
    return byName.get(key);
  }

  override _getClientOptions(
    options: OpenAICoreRequestOptions | undefined,
  ): OpenAICoreRequestOptions {
    return { ...options };
  }

  override completionWithRetry(
    request: StreamingParams,
    requestOptions?: OpenAI.RequestOptions,
  ): Promise<AsyncIterable<ChatCompletionChunk>>;
  override completionWithRetry(
    request: NonStreamingParams,
    requestOptions?: OpenAI.RequestOptions,
  ): Promise<ChatCompletion>;
  override completionWithRetry(
    request: StreamingParams | NonStreamingParams,
    requestOptions?: OpenAI.RequestOptions,
  ): Promise<AsyncIterable<ChatCompletionChunk> | ChatCompletion> {
    const options = sdkOptions(requestOptions as Record<string, unknown> | undefined);
    const { requester } = this.runtime;
    const signal = options.signal ?? undefined;
    // LangChain's AsyncCaller keeps its concurrency limit but gets no retries of
    // its own: the requester's are the only ones, so attempts never multiply.
    const call = this.caller.callWithOptions(
      { maxRetries: 0, ...(signal ? { signal } : {}) },
      () =>
        request.stream === true
          ? requester.stream(request, options)
          : requester.complete(request, options, request.response_format?.type === "json_schema"),
    );
    // The caller rejects with the signal's raw reason when it fires first.
    return withTypedAbort(call, requester.target, signal);
  }

  protected override _convertCompletionsDeltaToBaseMessageChunk(
    // biome-ignore lint/suspicious/noExplicitAny: the signature ChatOpenAI declares.
    delta: Record<string, any>,
    rawResponse: ChatCompletionChunk,
    defaultRole?: OpenAI.Chat.ChatCompletionRole,
  ): BaseMessageChunk {
    const chunk = super._convertCompletionsDeltaToBaseMessageChunk(delta, rawResponse, defaultRole);
    copyReasoning(delta, chunk);
    return chunk;
  }

  protected override _convertCompletionsMessageToBaseMessage(
    message: OpenAI.ChatCompletionMessage,
    rawResponse: ChatCompletion,
  ): BaseMessage {
    const converted = super._convertCompletionsMessageToBaseMessage(message, rawResponse);
    copyReasoning(message, converted);
    return converted;
  }

  override async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    if (this.streaming) return this._generateFromStream(messages, options, runManager);
    // ChatOpenAI checks the signal first and would throw its raw reason.
    const generated = super._generate(messages, options, runManager);
    const result = await withTypedAbort(generated, this.runtime.requester.target, options.signal);
    if (!transformsOutput(this.runtime.output, options)) return result;
    for (const generation of result.generations) {
      const changed = transformMessage(generation.message, this.runtime.output, options);
      if (changed === undefined) continue;
      generation.message = changed.message;
      generation.text = typeof changed.message.content === "string" ? changed.message.content : "";
      if (changed.foundToolCalls && generation.generationInfo?.finish_reason === "stop") {
        generation.generationInfo = { ...generation.generationInfo, finish_reason: "tool_calls" };
      }
    }
    return result;
  }

  /**
   * `streaming: true`: assembles the answer from the (transformed) stream. ChatOpenAI
   * would instead estimate usage with a tokenizer it downloads; the server's own
   * usage chunk is exact and needs no network beyond the endpoint.
   */
  private async _generateFromStream(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const finals = new Map<number, ChatGenerationChunk>();
    for await (const chunk of this._streamResponseChunks(messages, options, runManager)) {
      chunk.message.response_metadata = {
        ...chunk.generationInfo,
        ...chunk.message.response_metadata,
      };
      const completion = chunk.generationInfo?.completion;
      const index = typeof completion === "number" ? completion : 0;
      const before = finals.get(index);
      finals.set(index, before === undefined ? chunk : before.concat(chunk));
    }
    const generations = [...finals.entries()].sort(([a], [b]) => a - b).map(([, chunk]) => chunk);
    const usage = generations
      .map((g) => (AIMessageChunk.isInstance(g.message) ? g.message.usage_metadata : undefined))
      .find((u) => u !== undefined);
    return {
      generations,
      llmOutput:
        usage === undefined
          ? {}
          : {
              tokenUsage: {
                promptTokens: usage.input_tokens,
                completionTokens: usage.output_tokens,
                totalTokens: usage.total_tokens,
              },
            },
    };
  }

  /**
   * ChatOpenAI's chunks, through the output transform when it applies. Without
   * one, ChatOpenAI's own generator as it is (no layer of ours per chunk): it
   * sends the token callbacks itself.
   */
  override _streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    if (!transformsOutput(this.runtime.output, options)) {
      return super._streamResponseChunks(messages, options, runManager);
    }
    return this.transformedChunks(messages, options, runManager);
  }

  private async *transformedChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const transformer = new StreamOutputTransformer(this.runtime.output, options);
    // Token callbacks are sent here, after the transform, so handlers never see raw tags.
    const emit = async (chunk: ChatGenerationChunk): Promise<void> => {
      const info = chunk.generationInfo ?? {};
      await runManager?.handleLLMNewToken(
        chunk.text ?? "",
        {
          prompt: options.promptIndex ?? 0,
          completion: typeof info.completion === "number" ? info.completion : 0,
        },
        undefined,
        undefined,
        undefined,
        { chunk },
      );
    };
    for await (const raw of super._streamResponseChunks(messages, options, undefined)) {
      const chunk = transformer.push(raw);
      yield chunk;
      await emit(chunk);
    }
    for (const chunk of transformer.finish()) {
      yield chunk;
      await emit(chunk);
    }
  }

  override async *_streamChatModelEvents(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatModelStreamEvent> {
    // ChatOpenAI converts the raw SDK stream here, which would skip the output
    // transform; LangChain's default bridges from `_streamResponseChunks` instead.
    yield* BaseChatModel.prototype._streamChatModelEvents.call(this, messages, options, runManager);
  }
}

/** Copies `reasoning` to `additional_kwargs.reasoning_content` when ChatOpenAI did not. */
function copyReasoning(source: unknown, target: BaseMessage): void {
  if (target.additional_kwargs.reasoning_content !== undefined) return;
  const reasoning = readReasoningField(source);
  if (reasoning !== undefined) target.additional_kwargs.reasoning_content = reasoning;
}
