/**
 * Getting the two models ready for a `review` run: against a real endpoint
 * (tokens from the AWS credential chain, checked before anything starts), or
 * against the local demo endpoint started in this process.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { createTokenProvider } from "../../src/auth/token-provider.js";
import {
  DEMO_CODER_COMPONENT,
  DEMO_ENDPOINT,
  DEMO_REVIEWER_COMPONENT,
  startDemoEndpoint,
} from "../coder-reviewer/demo-endpoint.js";
import type { GraphAgent } from "../coder-reviewer/events.js";
import { createCoderReviewerModels } from "../coder-reviewer/models.js";
import type { ReviewTarget } from "./settings.js";

/** The models of a run and what to say about them. */
export interface PreparedTarget {
  kind: "demo" | "endpoint";
  models: { coder: BaseChatModel; reviewer: BaseChatModel };
  /** Where each agent runs, for progress lines: `agents / coder`. */
  labels: Record<GraphAgent, string>;
  /** The demo's base URL, or the `--base-url` given. */
  url: string | undefined;
  region: string;
  /** Where the demo's signing credentials came from. */
  credentialsSource?: "environment" | "generated";
  /** Releases what was started: the models' connection pool, the demo endpoint. */
  close(): Promise<void>;
}

function label(endpoint: string, component: string | undefined): string {
  return component === undefined ? endpoint : `${endpoint} / ${component}`;
}

/**
 * Builds the models for `target`, starting the demo endpoint when there is no endpoint.
 * `allowInsecureHttp` (`--allow-insecure-http`) lets a base URL use plain http beyond loopback.
 */
export async function prepareTarget(
  target: ReviewTarget,
  env: NodeJS.ProcessEnv,
  maxRetries?: number,
  allowInsecureHttp = false,
): Promise<PreparedTarget> {
  if (target.kind === "demo") {
    const demo = await startDemoEndpoint({ env });
    try {
      const models = createCoderReviewerModels({
        region: demo.region,
        endpointName: DEMO_ENDPOINT,
        coderComponent: DEMO_CODER_COMPONENT,
        reviewerComponent: DEMO_REVIEWER_COMPONENT,
        baseURL: demo.local.url,
        credentials: demo.credentials,
        ...(maxRetries === undefined ? {} : { maxRetries }),
      });
      return {
        kind: "demo",
        models,
        labels: {
          coder: label(DEMO_ENDPOINT, DEMO_CODER_COMPONENT),
          reviewer: label(DEMO_ENDPOINT, DEMO_REVIEWER_COMPONENT),
        },
        url: demo.local.url,
        region: demo.region,
        credentialsSource: demo.credentialsSource,
        close: async () => {
          await models.close();
          await demo.local.close();
        },
      };
    } catch (error) {
      await demo.local.close();
      throw error;
    }
  }
  // The models validate region, names and URL now; then the credentials are checked once
  // (by minting a token), so a missing key fails before any work is saved.
  const models = createCoderReviewerModels({
    ...target,
    ...(maxRetries === undefined ? {} : { maxRetries }),
    ...(allowInsecureHttp ? { allowInsecureHttp } : {}),
  });
  try {
    await createTokenProvider({ region: target.region })();
  } catch (error) {
    await models.close();
    throw error;
  }
  return {
    kind: "endpoint",
    models,
    labels: {
      coder: label(target.endpointName, target.coderComponent),
      reviewer: label(target.endpointName, target.reviewerComponent),
    },
    url: target.baseURL,
    region: target.region,
    close: () => models.close(),
  };
}
