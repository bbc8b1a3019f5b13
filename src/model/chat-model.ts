/**
 * `ChatSageMakerOpenAI`: LangChain's `ChatOpenAI` pointed at a SageMaker AI
 * endpoint or inference component through its OpenAI-compatible path, with
 * bearer tokens minted and refreshed behind the scenes.
 */
import type { BaseLanguageModelInput } from "@langchain/core/language_models/base";
import type { LangSmithParams } from "@langchain/core/language_models/chat_models";
import type { AIMessageChunk } from "@langchain/core/messages";
import type { Runnable } from "@langchain/core/runnables";
import { IterableReadableStream } from "@langchain/core/utils/stream";
import { ChatOpenAI, type ChatOpenAICallOptions, type ChatOpenAIFields } from "@langchain/openai";
import type OpenAI from "openai";
import type { SageMakerTokenProvider } from "../auth/token-provider.js";
import { createSageMakerOpenAIClient } from "../client/create-client.js";
import { type RequestAbortedError, typedAbort, withTypedAbort } from "./abort.js";
import { type CompletionsRuntime, SageMakerChatCompletions } from "./completions.js";
import {
  type ChatSageMakerOpenAIFields,
  checkToolCallParser,
  resolveSetup,
  type SageMakerTarget,
  type ToolCallParserMode,
} from "./options.js";
import type { OutputSettings } from "./output.js";
import type { InlineReasoningOptions } from "./reasoning/inline.js";
import { SageMakerRequester } from "./requester.js";
import { retryPolicy } from "./retry.js";
import { ErrorBodies, errorBodyFetch, type FetchFunction } from "./transport.js";

/** Call options of {@link ChatSageMakerOpenAI}: those of `ChatOpenAI`. */
export type ChatSageMakerOpenAICallOptions = ChatOpenAICallOptions;

/** What a model shares with its `withConfig` / `bindTools` copies. */
interface SharedState {
  runtime: CompletionsRuntime;
  target: SageMakerTarget;
  baseURL: string;
  tokenProvider: SageMakerTokenProvider;
}

/** Shared state handed from a model to the copy it is constructing (never on the fields object). */
const inherited = new WeakMap<object, SharedState>();

function inlineSettings(value: unknown): InlineReasoningOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { startsInReasoning: false };
  if (typeof value === "object" && value !== null) return value as InlineReasoningOptions;
  return undefined;
}

function buildShared(fields: ChatSageMakerOpenAIFields): SharedState {
  const setup = resolveSetup(fields);
  const bodies = new ErrorBodies();
  const userFetch = setup.clientOptions.fetch as FetchFunction | undefined;
  const client: OpenAI = createSageMakerOpenAIClient({
    ...setup.clientOptions,
    region: setup.target.region,
    endpointName: setup.target.endpointName,
    ...(setup.target.inferenceComponentName === undefined
      ? {}
      : { inferenceComponentName: setup.target.inferenceComponentName }),
    tokenProvider: setup.tokenProvider,
    baseURL: setup.baseURL,
    allowInsecureHttp: fields.allowInsecureHttp === true,
    ...(fields.timeout === undefined ? {} : { timeout: fields.timeout }),
    maxRetries: 0,
    fetch: errorBodyFetch(userFetch ?? ((url, init) => fetch(url, init)), bodies),
  });
  const requester = new SageMakerRequester({
    client,
    target: setup.target,
    policy: retryPolicy(fields.maxRetries, fields.retry),
    bodies,
    ...(setup.skew === undefined ? {} : { skew: setup.skew }),
  });
  const output: OutputSettings = {
    toolCallParser: checkToolCallParser(fields.toolCallParser),
    inlineReasoning: inlineSettings(fields.inlineReasoning),
  };
  return {
    runtime: { client, requester, output },
    target: setup.target,
    baseURL: setup.baseURL,
    tokenProvider: setup.tokenProvider,
  };
}

/** The fields `ChatOpenAI` gets: no AWS credentials, the token provider as `apiKey`. */
function chatOpenAIFields(
  fields: ChatSageMakerOpenAIFields,
  shared: SharedState,
): ChatOpenAIFields {
  const {
    credentials: _credentials,
    tokenProvider: _tokenProvider,
    retry: _retry,
    maxRetries: _maxRetries,
    ...rest
  } = fields;
  return {
    ...rest,
    model: fields.model ?? "",
    apiKey: shared.tokenProvider,
    configuration: { ...fields.configuration, baseURL: shared.baseURL },
    useResponsesApi: false,
  };
}

/**
 * LangChain's `ChatOpenAI` for SageMaker AI endpoints and inference components.
 *
 * Everything `ChatOpenAI` offers works through the Chat Completions API
 * (SageMaker has no Responses API): `invoke`, `stream`, `batch`, `bindTools`,
 * `withStructuredOutput`, callbacks, abort signals, usage metadata. On top:
 * bearer tokens minted from AWS credentials and refreshed automatically; hermes
 * `<tool_call>` text turned into tool calls; Qwen3 reasoning in
 * `additional_kwargs.reasoning_content`; retries with backoff and typed
 * {@link SageMakerModelError}s; clock-skew correction.
 *
 * Options are validated at construction (typed errors such as
 * `INVALID_REGION`, `REGION_UNRESOLVED`, `INVALID_ENDPOINT_NAME`,
 * `INSECURE_BASE_URL`, `INVALID_OPTIONS`); no network call is made until the first request.
 *
 * @example
 * ```ts
 * import { ChatSageMakerOpenAI } from "sagemaker-openai-agents";
 * const model = new ChatSageMakerOpenAI({
 *   region: "us-west-2",
 *   endpointName: "my-endpoint",
 *   inferenceComponentName: "qwen3-4b", // omit for a single-model endpoint
 * });
 * const reply = await model.invoke("Write a haiku about GPUs.");
 * for await (const chunk of await model.stream("Count to five.")) process.stdout.write(String(chunk.content));
 * ```
 */
export class ChatSageMakerOpenAI extends ChatOpenAI<ChatSageMakerOpenAICallOptions> {
  /** The endpoint this model calls. */
  readonly endpointName: string;
  /** The inference component this model calls, if any. */
  readonly inferenceComponentName: string | undefined;
  /** The endpoint's AWS region. */
  readonly region: string;
  /** How hermes `<tool_call>` text is handled. */
  readonly toolCallParser: ToolCallParserMode;
  readonly #shared: SharedState;
  readonly #fields: ChatSageMakerOpenAIFields;

  /** The class name LangChain serialises and traces this model under. */
  static override lc_name(): string {
    return "ChatSageMakerOpenAI";
  }

  /**
   * Validates the options, builds the token provider (unless given), the base
   * URL and the OpenAI client; makes no network call.
   */
  constructor(fields: ChatSageMakerOpenAIFields) {
    const shared = inherited.get(fields) ?? buildShared(fields);
    const base = chatOpenAIFields(fields, shared);
    super({ ...base, completions: new SageMakerChatCompletions(base, shared.runtime) });
    this.#shared = shared;
    this.#fields = fields;
    this.endpointName = shared.target.endpointName;
    this.inferenceComponentName = shared.target.inferenceComponentName;
    this.region = shared.target.region;
    this.toolCallParser = shared.runtime.output.toolCallParser;
  }

  /** Short provider id LangChain reports for this model. */
  override _llmType(): string {
    return "amazon_sagemaker_openai";
  }

  /** The token stands in for ChatOpenAI's key: serialised only as a secret reference. */
  override get lc_secrets(): { [key: string]: string } | undefined {
    return { ...super.lc_secrets, apiKey: "SAGEMAKER_BEARER_TOKEN" };
  }

  /** Serialised names of the constructor fields. */
  override get lc_aliases(): Record<string, string> {
    return { ...super.lc_aliases, apiKey: "sagemaker_bearer_token" };
  }

  /** Fields kept in the serialised form: settings and names, never `apiKey` or `configuration`. */
  override get lc_serializable_keys(): string[] {
    return [
      ...super.lc_serializable_keys.filter((key) => key !== "apiKey" && key !== "configuration"),
      "region",
      "endpointName",
      "inferenceComponentName",
      "toolCallParser",
      "inlineReasoning",
      "tokenExpiresIn",
      "tokenRefresh",
      "credentialsTimeoutMs",
      "correctClockSkew",
    ];
  }

  /** The serialised constructor call: names and settings only, never a token, credentials or client options. */
  override toJSON(): ReturnType<ChatOpenAI["toJSON"]> {
    const json = super.toJSON();
    if ("kwargs" in json && typeof json.kwargs === "object" && json.kwargs !== null) {
      const kwargs = json.kwargs as Record<string, unknown>;
      for (const key of [
        "sagemaker_bearer_token",
        "openai_api_key",
        "api_key",
        "configuration",
        "organization",
      ]) {
        delete kwargs[key];
      }
    }
    return json;
  }

  /**
   * LangChain's standard tracing parameters, exactly its keys: `ls_provider`
   * `amazon_sagemaker`, `ls_model_name` (the model, else the inference
   * component, else the endpoint), `ls_model_type`, `ls_temperature`,
   * `ls_max_tokens`, `ls_stop`. The SageMaker target reaches LangSmith as run
   * metadata through {@link ChatSageMakerOpenAI._getInvocationParamsForTracing}.
   */
  override getLsParams(options: this["ParsedCallOptions"]): LangSmithParams {
    const params = super.getLsParams(options);
    return {
      ls_provider: "amazon_sagemaker",
      ls_model_name: this.model || this.inferenceComponentName || this.endpointName,
      ls_model_type: "chat",
      ls_temperature: params.ls_temperature,
      ls_max_tokens: params.ls_max_tokens,
      ls_stop: params.ls_stop,
    };
  }

  /**
   * The request parameters LangChain records on a run (as `invocation_params`
   * and as run metadata), plus the SageMaker target: `sagemaker_endpoint`,
   * `sagemaker_inference_component` (when set) and `aws_region`. Names only;
   * the request sent is not changed.
   */
  protected override _getInvocationParamsForTracing(
    options?: this["ParsedCallOptions"],
  ): ReturnType<this["invocationParams"]> {
    return {
      ...super._getInvocationParamsForTracing(options),
      sagemaker_endpoint: this.endpointName,
      ...(this.inferenceComponentName === undefined
        ? {}
        : { sagemaker_inference_component: this.inferenceComponentName }),
      aws_region: this.region,
    };
  }

  /**
   * `ChatOpenAI`'s stream, except that a stream its `AbortSignal` ended fails
   * with {@link RequestAbortedError}: LangChain's stream wrapper checks the
   * signal between chunks and would throw the signal's raw reason. Without a
   * signal there is nothing to retype, and the stream is `ChatOpenAI`'s own.
   */
  override async stream(
    input: BaseLanguageModelInput,
    options?: Partial<ChatSageMakerOpenAICallOptions>,
  ): Promise<IterableReadableStream<AIMessageChunk>> {
    const signal = options?.signal;
    if (signal === undefined) return super.stream(input, options);
    const target = this.#shared.target;
    const inner = await withTypedAbort(super.stream(input, options), target, signal);
    return IterableReadableStream.fromAsyncGenerator(
      (async function* () {
        try {
          yield* inner;
        } catch (error) {
          throw typedAbort(target, signal, error);
        }
      })(),
    );
  }

  override _identifyingParams(): ReturnType<ChatOpenAI["_identifyingParams"]> {
    // ChatOpenAI adds its client config (token provider, fetch, headers) here,
    // which ends up in cache keys; keep the request parameters and the target only.
    return {
      model_name: this.model,
      ...this.invocationParams(),
      baseURL: this.#shared.baseURL,
    } as ReturnType<ChatOpenAI["_identifyingParams"]>;
  }

  /** Always Chat Completions: SageMaker's `/openai/v1` path has no Responses API. */
  protected override _useResponsesApi(): boolean {
    return false;
  }

  /** A copy with bound call options (tools, stop, ...) that shares this model's client, tokens and pool. */
  override withConfig(
    config: Partial<ChatSageMakerOpenAICallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, ChatSageMakerOpenAICallOptions> {
    // ChatOpenAI rebuilds a plain ChatOpenAI here; rebuild this class instead, sharing
    // the client, token provider and connection pool.
    const fields = { ...this.#fields };
    inherited.set(fields, this.#shared);
    const copy = new ChatSageMakerOpenAI(fields);
    copy.defaultOptions = { ...this.defaultOptions, ...config };
    return copy;
  }
}
