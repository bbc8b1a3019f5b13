/**
 * `sagemakerStrandsModel`: a Strands Agents `OpenAIModel` on the Chat
 * Completions API, talking to a SageMaker endpoint or inference component
 * through the OpenAI client of `createSageMakerOpenAIClient` (bearer tokens from
 * a token provider, fresh before every request).
 *
 * `@strands-agents/sdk` is an optional peer dependency: this module loads it when
 * it is first imported, so `sagemaker-openai-agents/strands` without the SDK
 * installed fails at import with `MISSING_PEER` and the command that fixes it.
 */
import type {
  OpenAIChatConfig,
  OpenAIModel as StrandsOpenAIModel,
} from "@strands-agents/sdk/models/openai";
import {
  type SageMakerConnectionOptions,
  splitConnectionOptions,
} from "../../client/connection.js";
import {
  createSageMakerOpenAIClient,
  type SageMakerOpenAIClientOptions,
} from "../../client/index.js";
import { ValidationError } from "../../errors.js";
import { loadOptionalPeer } from "../../optional-peer.js";

/** The `@strands-agents/sdk` versions this adapter is built and tested against. */
export const STRANDS_PEER_RANGE = "^1.19.0";

const { OpenAIModel } = await loadOptionalPeer({
  packageName: "@strands-agents/sdk",
  range: STRANDS_PEER_RANGE,
  neededBy: "sagemaker-openai-agents/strands",
  load: () => import("@strands-agents/sdk/models/openai"),
});

/**
 * OpenAI client options for the adapter's client: timeouts, retries, headers,
 * `fetch`, `fetchOptions` (e.g. a shared `undici` dispatcher). Target and
 * authentication come from {@link SageMakerStrandsModelOptions} instead.
 */
export type SageMakerStrandsClientOptions = Omit<
  SageMakerOpenAIClientOptions,
  keyof SageMakerConnectionOptions
>;

/**
 * Options of {@link sagemakerStrandsModel}: where the model is, how to
 * authenticate, and any Strands `OpenAIModel` chat setting (`modelId`,
 * `temperature`, `maxTokens`, `topP`, `params`, ...).
 */
export interface SageMakerStrandsModelOptions extends OpenAIChatConfig, SageMakerConnectionOptions {
  /** Options for the underlying OpenAI client (timeout, retries, fetch, headers). */
  clientOptions?: SageMakerStrandsClientOptions;
  /**
   * The request's `model` field, passed to the container unchanged.
   * @defaultValue `""` (the container serves one model; SageMaker routes by URL)
   */
  modelId?: string;
}

// OpenAIModel options this adapter decides itself; passing them would bypass the token or the URL.
const RESERVED = ["api", "apiKey", "client", "clientConfig", "bedrockMantleConfig"] as const;

/**
 * Creates a Strands Agents `OpenAIModel` (Chat Completions API) for a SageMaker
 * endpoint or inference component. Its OpenAI client comes from
 * `createSageMakerOpenAIClient`, so the region, names and base URL are
 * validated up front, and every request (retries included) carries a bearer
 * token from the token provider.
 *
 * @throws ValidationError `INVALID_OPTIONS` for a non-object, for conflicting
 *   token options, or for `api`, `apiKey`, `client`, `clientConfig` or
 *   `bedrockMantleConfig` (the adapter sets those); and every validation error
 *   of `createSageMakerOpenAIClient` (`INVALID_REGION`, `INVALID_ENDPOINT_NAME`, ...).
 *
 * @example
 * ```ts
 * import { Agent } from "@strands-agents/sdk";
 * import { sagemakerStrandsModel } from "sagemaker-openai-agents/strands";
 *
 * const model = sagemakerStrandsModel({
 *   region: "us-west-2", endpointName: "my-endpoint", inferenceComponentName: "coder", temperature: 0.7,
 * });
 * const coder = new Agent({ model, systemPrompt: "You are an expert Python developer." });
 * const result = await coder.invoke("Write a function that formats a duration.");
 * ```
 */
export function sagemakerStrandsModel(options: SageMakerStrandsModelOptions): StrandsOpenAIModel {
  if (typeof options !== "object" || options === null) {
    throw new ValidationError(
      "INVALID_OPTIONS",
      "sagemakerStrandsModel takes an options object with at least endpointName.",
    );
  }
  const reserved = RESERVED.filter((key) => key in options);
  if (reserved.length > 0) {
    throw new ValidationError(
      "INVALID_OPTIONS",
      `sagemakerStrandsModel sets ${reserved.join(", ")} itself (Chat Completions, bearer tokens, ` +
        "the SageMaker base URL); remove them, and pass client settings as clientOptions.",
    );
  }
  const { clientOptions, modelId, ...rest } = options;
  const { connection, rest: modelConfig } = splitConnectionOptions(rest);
  const client = createSageMakerOpenAIClient({ ...clientOptions, ...connection });
  return new OpenAIModel({ ...modelConfig, api: "chat", modelId: modelId ?? "", client });
}
