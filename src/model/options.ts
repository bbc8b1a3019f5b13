/**
 * The options of `ChatSageMakerOpenAI` beyond ChatOpenAI's, and their
 * resolution into what the model runs on: the region, the validated base URL,
 * the token provider and the OpenAI client options. Everything is settled
 * before the LangChain constructor runs, because `ChatOpenAI` builds its inner
 * delegates from the fields it is given.
 */
import type { ChatOpenAIFields, ClientOptions } from "@langchain/openai";
import type { SageMakerTokenProvider } from "../auth/token-provider.js";
import {
  resolveSageMakerConnection,
  type SageMakerConnectionOptions,
} from "../client/connection.js";
import { checkTimeout } from "../client/request-limits.js";
import { ValidationError } from "../errors.js";
import { type ClockSkew, clockSkewOf, createSkewCorrectingTokenProvider } from "./clock-skew.js";
import type { InlineReasoningOptions } from "./reasoning/inline.js";
import type { RetryOptions } from "./retry.js";

/** How tool calls written as hermes `<tool_call>` text in `content` are handled. */
export type ToolCallParserMode = "auto" | "hermes" | "none";

/**
 * Constructor fields of `ChatSageMakerOpenAI`: where the endpoint is and how to
 * authenticate (`SageMakerConnectionOptions`; `configuration.baseURL` is
 * read like `baseURL`), how to read the container's output, how to retry, plus
 * every `ChatOpenAI` field except those that would change authentication or the
 * API used (`apiKey`, `openAIApiKey`, `useResponsesApi` and the inner delegates).
 */
export interface ChatSageMakerOpenAIFields
  extends Omit<
      ChatOpenAIFields,
      "apiKey" | "openAIApiKey" | "useResponsesApi" | "completions" | "responses" | "model"
    >,
    SageMakerConnectionOptions {
  /** Sent as `model`; SageMaker routes by URL, so `""` (the default) works with vLLM. */
  model?: string;
  /**
   * Hermes `<tool_call>` text in `content` (a container without vLLM's tool parser):
   * `"auto"` (default) turns it into tool calls when tools were bound and the
   * server sent no native `tool_calls`; `"hermes"` always; `"none"` never.
   */
  toolCallParser?: ToolCallParserMode;
  /**
   * Move a Qwen3 `<think>...</think>` block written inline in `content` (no
   * reasoning parser on the server) to `additional_kwargs.reasoning_content`.
   * `true` reads only output that opens with `<think>`; pass options for
   * templates that open the block in the prompt. Default false.
   */
  inlineReasoning?: boolean | InlineReasoningOptions;
  /**
   * Retries after the first attempt on throttling, 5xx, connection resets and
   * streams cut before their first chunk: a whole number from 0 to 100. Default 2.
   * Per call: the `maxRetries` call option (same range).
   */
  maxRetries?: number;
  /**
   * How long one attempt may take, in ms: a whole number from 1 to 2,147,483,647.
   * Default: the OpenAI SDK's (10 minutes). Resolving credentials has its own
   * limit, `credentialsTimeoutMs`.
   */
  timeout?: number;
  /** Backoff tuning; see {@link RetryOptions}. */
  retry?: RetryOptions;
  /**
   * When SageMaker refuses a token as expired or not yet valid and its `Date`
   * header is more than a minute from this machine's clock, sign with the
   * server's time and retry once. Only for token providers this package creates
   * (the model's own, or the one `createSageMakerChatModels` shares). Default true.
   */
  correctClockSkew?: boolean;
}

/** Where a model sends requests; names only, never a URL with credentials. */
export interface SageMakerTarget {
  region: string;
  endpointName: string;
  inferenceComponentName?: string;
}

/** What the constructor needs once options are resolved. */
export interface ResolvedSetup {
  target: SageMakerTarget;
  baseURL: string;
  tokenProvider: SageMakerTokenProvider;
  /** The provider's correctable clock, when skew correction applies. */
  skew: ClockSkew | undefined;
  /** The user's OpenAI client options minus auth and target, to build the client with. */
  clientOptions: Omit<ClientOptions, "apiKey" | "baseURL">;
}

function invalid(message: string): ValidationError {
  return new ValidationError("INVALID_OPTIONS", message);
}

const MODES = ["auto", "hermes", "none"] as const;

/** Throws `INVALID_OPTIONS` unless `value` is a tool-call parser mode; returns it (default `auto`). */
export function checkToolCallParser(value: unknown): ToolCallParserMode {
  if (value === undefined) return "auto";
  if (typeof value === "string" && (MODES as readonly string[]).includes(value)) {
    return value as ToolCallParserMode;
  }
  throw invalid(`toolCallParser must be "auto", "hermes" or "none"; got ${String(value)}.`);
}

/**
 * Validates the SageMaker options and builds the base URL and token provider.
 * Throws the typed errors of `sagemakerOpenAIBaseURL`, `resolveRegion` and
 * `createTokenProvider`, or `INVALID_OPTIONS` for conflicting options.
 */
export function resolveSetup(fields: ChatSageMakerOpenAIFields): ResolvedSetup {
  if (typeof fields !== "object" || fields === null) {
    throw invalid("ChatSageMakerOpenAI takes an options object with at least endpointName.");
  }
  const loose = fields as ChatSageMakerOpenAIFields & Record<string, unknown>;
  for (const key of ["apiKey", "openAIApiKey"] as const) {
    if (loose[key] !== undefined) {
      throw invalid(
        `ChatSageMakerOpenAI authenticates with SageMaker bearer tokens; remove ${key} ` +
          "(pass tokenProvider: async () => token to supply tokens yourself).",
      );
    }
  }
  if (loose.useResponsesApi === true) {
    throw invalid("SageMaker endpoints have no Responses API; remove useResponsesApi.");
  }
  checkTimeout(fields.timeout);
  checkTimeout(fields.configuration?.timeout, "configuration.timeout");
  const { apiKey, baseURL: configBaseURL, ...clientOptions } = fields.configuration ?? {};
  if (apiKey !== undefined && apiKey !== null) {
    throw invalid(
      "configuration.apiKey cannot be used: the model authenticates with SageMaker bearer tokens " +
        "(pass tokenProvider to supply tokens yourself).",
    );
  }
  if (
    fields.baseURL !== undefined &&
    configBaseURL !== undefined &&
    configBaseURL !== null &&
    String(fields.baseURL) !== String(configBaseURL)
  ) {
    throw invalid("baseURL and configuration.baseURL disagree; pass only one.");
  }
  const correct = fields.correctClockSkew !== false;
  const explicitBase = fields.baseURL ?? configBaseURL ?? undefined;
  // Skew correction needs a provider whose clock we own, unless the caller brings one.
  const { region, baseURL, tokenProvider } = resolveSageMakerConnection(
    { ...fields, ...(explicitBase === undefined ? {} : { baseURL: explicitBase }) },
    correct ? { createTokenProvider: createSkewCorrectingTokenProvider } : {},
  );
  return {
    target: {
      region,
      endpointName: fields.endpointName,
      ...(fields.inferenceComponentName === undefined
        ? {}
        : { inferenceComponentName: fields.inferenceComponentName }),
    },
    baseURL,
    tokenProvider,
    skew: correct ? clockSkewOf(tokenProvider) : undefined,
    clientOptions,
  };
}
