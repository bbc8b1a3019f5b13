/**
 * The coder's and reviewer's chat models for one SageMaker endpoint: one model
 * per inference component (or both on the endpoint itself), sharing one token
 * provider. Used by the CLI, the Studio entry, the example and the benchmark.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { SageMakerTokenProvider } from "../../src/auth/token-provider.js";
import { ChatSageMakerOpenAI } from "../../src/model/chat-model.js";

/** Where the two agents' models are and how to authenticate. */
export interface CoderReviewerTarget {
  region: string;
  endpointName: string;
  /** The coder's inference component; the endpoint itself when omitted. */
  coderComponent?: string;
  /** The reviewer's inference component; the endpoint itself when omitted. */
  reviewerComponent?: string;
  /** Replaces the SageMaker runtime origin (local endpoint, proxy, VPC endpoint). */
  baseURL?: string;
  /** Mints the bearer tokens; one provider serves both models. */
  tokenProvider: SageMakerTokenProvider;
  /** Retries per model call after the first attempt. */
  maxRetries?: number;
}

function model(target: CoderReviewerTarget, component: string | undefined): BaseChatModel {
  // Validates the region, names and base URL before any of them becomes part of a URL.
  return new ChatSageMakerOpenAI({
    region: target.region,
    endpointName: target.endpointName,
    ...(component === undefined ? {} : { inferenceComponentName: component }),
    ...(target.baseURL === undefined ? {} : { baseURL: target.baseURL }),
    tokenProvider: target.tokenProvider,
    ...(target.maxRetries === undefined ? {} : { maxRetries: target.maxRetries }),
  });
}

/** Builds the coder's and reviewer's chat models for `target`. */
export function createCoderReviewerModels(target: CoderReviewerTarget): {
  coder: BaseChatModel;
  reviewer: BaseChatModel;
} {
  return {
    coder: model(target, target.coderComponent),
    reviewer: model(target, target.reviewerComponent),
  };
}
