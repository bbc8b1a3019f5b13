/**
 * The coder's and reviewer's chat models for one SageMaker endpoint. With an
 * inference component for each (the usual case, and the demo's), they come
 * from `createSageMakerChatModels`: one token provider and one keep-alive pool
 * for both. An agent without a component uses the endpoint's own model.
 * Used by the CLI, the Studio entry and the benchmark.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { CredentialsSource } from "../../src/auth/credentials.js";
import { ChatSageMakerOpenAI } from "../../src/model/chat-model.js";
import { createSageMakerChatModels } from "../../src/model/chat-models.js";

/** Where the two agents' models are and how to authenticate. */
export interface CoderReviewerTarget {
  region: string;
  endpointName: string;
  /** The coder's inference component; the endpoint's own model when omitted. */
  coderComponent?: string;
  /** The reviewer's inference component; the endpoint's own model when omitted. */
  reviewerComponent?: string;
  /** Replaces the SageMaker runtime origin (local endpoint, proxy, VPC endpoint). */
  baseURL?: string;
  /** Permits a plain-http `baseURL` beyond this machine (the tokens then cross the network unencrypted). */
  allowInsecureHttp?: boolean;
  /** Credentials to sign tokens with. Default: the AWS default chain. */
  credentials?: CredentialsSource;
  /** Retries per model call after the first attempt. */
  maxRetries?: number;
}

/** The two models, and how to release what they hold (the shared connection pool). */
export interface CoderReviewerModels {
  coder: BaseChatModel;
  reviewer: BaseChatModel;
  close(): Promise<void>;
}

/**
 * Builds the coder's and reviewer's chat models for `target`. Region, names
 * and base URL are validated now (the model's typed errors); no request is made.
 */
export function createCoderReviewerModels(target: CoderReviewerTarget): CoderReviewerModels {
  const shared = {
    region: target.region,
    endpointName: target.endpointName,
    ...(target.baseURL === undefined ? {} : { baseURL: target.baseURL }),
    ...(target.allowInsecureHttp === true ? { allowInsecureHttp: true } : {}),
    ...(target.credentials === undefined ? {} : { credentials: target.credentials }),
    ...(target.maxRetries === undefined ? {} : { maxRetries: target.maxRetries }),
  };
  const { coderComponent, reviewerComponent } = target;
  if (coderComponent !== undefined && reviewerComponent !== undefined) {
    const { models, close } = createSageMakerChatModels({
      ...shared,
      components: {
        coder: { inferenceComponentName: coderComponent },
        reviewer: { inferenceComponentName: reviewerComponent },
      },
    });
    return { coder: models.coder, reviewer: models.reviewer, close };
  }
  const model = (component: string | undefined): ChatSageMakerOpenAI =>
    new ChatSageMakerOpenAI({
      ...shared,
      ...(component === undefined ? {} : { inferenceComponentName: component }),
    });
  return {
    coder: model(coderComponent),
    reviewer: model(reviewerComponent),
    close: async () => {},
  };
}
