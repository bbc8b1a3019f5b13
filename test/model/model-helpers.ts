/**
 * Helpers for the ChatSageMakerOpenAI tests: a local endpoint with demo
 * backends (single-model `ep`, inference components `general`/`hermes`/`think`
 * on `multi`), and a model factory pointed at it with the test credentials.
 */
import type { LocalEndpoint, LocalEndpointConfig } from "../../src/local/index.js";
import { ChatSageMakerOpenAI, type ChatSageMakerOpenAIFields } from "../../src/model/index.js";
import { startEndpointWithTestCredentials, TEST_CREDENTIALS } from "../helpers/local-endpoint.js";

export { TEST_CREDENTIALS };

/** Starts a local endpoint with demo backends; `overrides` replace top-level config keys. */
export function startDemoEndpoint(
  overrides: Partial<LocalEndpointConfig> = {},
): Promise<LocalEndpoint> {
  return startEndpointWithTestCredentials(
    {
      ep: { backend: { type: "demo" } },
      multi: {
        inferenceComponents: {
          general: { backend: { type: "demo" } },
          hermes: { backend: { type: "demo", toolCalls: "hermes" } },
          think: { backend: { type: "demo", reasoning: true } },
          "think-old": {
            backend: { type: "demo", reasoning: true, reasoningField: "reasoning_content" },
          },
          "think-inline": { backend: { type: "demo", reasoning: true, reasoningField: "inline" } },
          "hermes-think": {
            backend: {
              type: "demo",
              toolCalls: "hermes",
              reasoning: true,
              reasoningField: "inline",
            },
          },
        },
      },
    },
    overrides,
  );
}

/** A model for `local`, with test credentials and fast retries unless overridden. */
export function modelFor(
  local: LocalEndpoint,
  fields: Partial<ChatSageMakerOpenAIFields> = {},
): ChatSageMakerOpenAI {
  const base: ChatSageMakerOpenAIFields = {
    region: local.region,
    endpointName: "ep",
    baseURL: local.url,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...fields,
  } as ChatSageMakerOpenAIFields;
  if (base.tokenProvider === undefined && base.credentials === undefined) {
    base.credentials = { ...TEST_CREDENTIALS };
  }
  return new ChatSageMakerOpenAI(base);
}

/** Drains an async iterable into an array. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
