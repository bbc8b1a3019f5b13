/**
 * Helpers for the agent tests: a local endpoint serving the demo `coder` and
 * `reviewer` models as inference components of one endpoint (`agents`), chat
 * models pointed at its routes, the coder/reviewer graph on them, and a
 * backend wrapper that records (and can edit) the request bodies the demo
 * model receives.
 */
import { onTestFinished } from "vitest";
import {
  type CoderReviewerGraph,
  type CoderReviewerGraphOptions,
  createCoderReviewerGraph,
} from "../../agents/coder-reviewer/graph.js";
import { createTokenProvider } from "../../src/auth/index.js";
import type { ChatCompletionRequestBody } from "../../src/local/backend.js";
import { createBackend } from "../../src/local/backends/index.js";
import type {
  BackendConfig,
  ChatBackend,
  LocalEndpoint,
  LocalEndpointConfig,
} from "../../src/local/index.js";
import { ChatSageMakerOpenAI, type ChatSageMakerOpenAIFields } from "../../src/model/index.js";
import { startEndpointWithTestCredentials, TEST_CREDENTIALS } from "../helpers/local-endpoint.js";

/** The endpoint name the agent tests use, as the CLI's offline demo does. */
export const ENDPOINT = "agents";

/** A backend that records each request body and may rewrite it before the wrapped backend sees it. */
export function recordingBackend(
  inner: BackendConfig,
  edit?: (body: ChatCompletionRequestBody) => ChatCompletionRequestBody,
): ChatBackend & { bodies: ChatCompletionRequestBody[] } {
  const backend = createBackend(inner as Parameters<typeof createBackend>[0]);
  const bodies: ChatCompletionRequestBody[] = [];
  return {
    bodies,
    complete(body, context) {
      bodies.push(structuredClone(body));
      return backend.complete(edit === undefined ? body : edit(body), context);
    },
  };
}

/**
 * Starts a local endpoint with test credentials and endpoint `agents` whose
 * inference components default to the demo `coder` and `reviewer` scripts;
 * `overrides` replace top-level config keys (e.g. `host`).
 */
export async function startAgentsEndpoint(
  components: Record<string, BackendConfig> = {},
  overrides: Partial<LocalEndpointConfig> = {},
): Promise<LocalEndpoint> {
  const all: Record<string, BackendConfig> = {
    coder: { type: "demo", script: "coder" },
    reviewer: { type: "demo", script: "reviewer" },
    ...components,
  };
  return startEndpointWithTestCredentials(
    {
      [ENDPOINT]: {
        inferenceComponents: Object.fromEntries(
          Object.entries(all).map(([name, backend]) => [name, { backend }]),
        ),
      },
    },
    overrides,
  );
}

/** {@link startAgentsEndpoint}, closed when the current test finishes (call it inside a test). */
export async function agentsEndpointForTest(
  components: Record<string, BackendConfig> = {},
  overrides: Partial<LocalEndpointConfig> = {},
): Promise<LocalEndpoint> {
  const local = await startAgentsEndpoint(components, overrides);
  onTestFinished(() => local.close());
  return local;
}

/**
 * The demo's requests from round 1's review on, when round 1 asks for changes:
 * the reviewer's three calls (syntax check, prose, verdict), round 2's coder
 * call (no calculator this time) and round 2's review.
 */
export const FROM_FIRST_REVIEW: readonly string[] = [
  "reviewer",
  "reviewer",
  "reviewer",
  "coder",
  "reviewer",
  "reviewer",
  "reviewer",
];

/** One token provider for every test model: the local endpoint verifies real SigV4 tokens. */
const tokenProvider = createTokenProvider({ region: "us-west-2", credentials: TEST_CREDENTIALS });

/** A chat model on one inference component of the local endpoint (no retries unless asked). */
export function chatModel(
  local: LocalEndpoint,
  component: string,
  fields: Partial<ChatSageMakerOpenAIFields> = {},
): ChatSageMakerOpenAI {
  return new ChatSageMakerOpenAI({
    region: "us-west-2",
    endpointName: ENDPOINT,
    inferenceComponentName: component,
    baseURL: local.url,
    tokenProvider,
    maxRetries: 0,
    ...fields,
  });
}

/** The inference components the access log shows, in request order. */
export function componentsHit(local: LocalEndpoint): Array<string | null> {
  return local.requests.map((entry) => entry.component);
}

/** The task the demo scripts answer (a Celsius to Fahrenheit converter, two rounds). */
export const DEMO_TASK = "Write a function that converts Celsius to Fahrenheit.";

/**
 * The coder/reviewer graph on the `coder` and `reviewer` components of
 * `local` (see {@link chatModel}), with `options` (checkpointer, maxRounds, ...).
 */
export function graphOn(
  local: LocalEndpoint,
  options: Omit<CoderReviewerGraphOptions, "coder" | "reviewer"> = {},
): CoderReviewerGraph {
  return createCoderReviewerGraph({
    coder: chatModel(local, "coder"),
    reviewer: chatModel(local, "reviewer"),
    ...options,
  });
}
