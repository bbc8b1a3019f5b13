/**
 * Which SageMaker endpoint and inference component a chat model talks to, for
 * trace metadata ("which IC served this run"). Read from the model's own fields
 * when it has them (ChatSageMakerOpenAI), else from its OpenAI base URL path.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { isValidResourceName } from "../src/addressing/names.js";

/** Trace metadata naming a model's target; keys absent when unknown. */
export interface ModelTarget {
  endpoint?: string;
  inference_component?: string;
}

const PATH = /\/endpoints\/([^/]+)(?:\/inference-components\/([^/]+))?\/openai\/v1\/?$/;

function field(model: object, key: string): unknown {
  return (model as Record<string, unknown>)[key];
}

function named(value: unknown): string | undefined {
  return typeof value === "string" && isValidResourceName(value) ? value : undefined;
}

function baseURLOf(model: object): string | undefined {
  const config = field(model, "clientConfig");
  const fromConfig =
    typeof config === "object" && config !== null ? field(config, "baseURL") : undefined;
  if (typeof fromConfig === "string") return fromConfig;
  const fromModel = field(model, "baseURL");
  return typeof fromModel === "string" ? fromModel : undefined;
}

/**
 * The endpoint and inference component `model` calls, when they can be told.
 * Only validated SageMaker names come out, never a URL, host or key.
 */
export function modelTarget(model: BaseChatModel): ModelTarget {
  let endpoint = named(field(model, "endpointName"));
  let component = named(field(model, "inferenceComponentName"));
  if (endpoint === undefined) {
    const base = baseURLOf(model);
    let path = "";
    try {
      path = base === undefined ? "" : new URL(base).pathname;
    } catch {
      path = "";
    }
    const match = PATH.exec(path);
    endpoint = named(match?.[1]);
    component ??= endpoint === undefined ? undefined : named(match?.[2]);
  }
  return {
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(component === undefined ? {} : { inference_component: component }),
  };
}
