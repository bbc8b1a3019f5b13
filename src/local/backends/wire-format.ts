/**
 * The JSON vLLM's OpenAI server writes, field for field (newest version:
 * nested errors, a `reasoning` field, no empty `tool_calls` key). Field order
 * and explicit nulls follow vLLM's pydantic models: non-streaming bodies are
 * dumped whole; stream chunks are dumped with `exclude_unset`, so only fields
 * vLLM sets appear, some of them as null. See `vllm-wire.md` section 4.
 */
import type { ParsedOutput } from "./vllm-parsers.js";

/** Token counts as vLLM's `UsageInfo` orders them. */
export interface Usage {
  prompt_tokens: number;
  total_tokens: number;
  completion_tokens: number;
}

/** Builds a {@link Usage} from the two counts. */
export function usage(promptTokens: number, completionTokens: number): Usage {
  return {
    prompt_tokens: promptTokens,
    total_tokens: promptTokens + completionTokens,
    completion_tokens: completionTokens,
  };
}

/** What every body and chunk of one completion shares. */
export interface CompletionIdentity {
  /** `chatcmpl-` and the request id. */
  id: string;
  /** Unix seconds. */
  created: number;
  /** The served model name (whatever the request named). */
  model: string;
}

/** The non-streaming `chat.completion` body. `reasoningKey` names the reasoning field. */
export function completionBody(
  identity: CompletionIdentity,
  parsed: ParsedOutput,
  reasoningKey: "reasoning" | "reasoning_content",
  counts: Usage,
): Record<string, unknown> {
  const message: Record<string, unknown> = {
    role: "assistant",
    content: parsed.content,
    refusal: null,
    annotations: null,
    audio: null,
    function_call: null,
  };
  // Newest vLLM drops the key when there are no calls instead of sending [].
  if (parsed.toolCalls.length > 0) message.tool_calls = parsed.toolCalls;
  message[reasoningKey] = parsed.reasoning;
  return {
    id: identity.id,
    object: "chat.completion",
    created: identity.created,
    model: identity.model,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: parsed.finishReason,
        stop_reason: null,
        token_ids: null,
      },
    ],
    service_tier: null,
    system_fingerprint: null,
    usage: { ...counts, prompt_tokens_details: null },
    prompt_logprobs: null,
    prompt_token_ids: null,
    kv_transfer_params: null,
  };
}

/** One server-sent event carrying `value` as JSON. */
export function sseEvent(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

/** The event that ends every vLLM stream. */
export const SSE_DONE = "data: [DONE]\n\n";

/** Builds the `chat.completion.chunk` events of one stream, in vLLM's shapes. */
export class ChunkWriter {
  constructor(private readonly identity: CompletionIdentity) {}

  private chunk(choices: unknown[], extra: Record<string, unknown> = {}): string {
    const { id, created, model } = this.identity;
    return sseEvent({ id, object: "chat.completion.chunk", created, model, choices, ...extra });
  }

  /** The first chunk: the role, empty content; `prompt_token_ids` is set (to null) on it only. */
  first(counts?: Usage): string {
    const choice = {
      index: 0,
      delta: { role: "assistant", content: "" },
      logprobs: null,
      finish_reason: null,
    };
    return this.chunk([choice], { prompt_token_ids: null, ...(counts ? { usage: counts } : {}) });
  }

  /** A chunk with one delta (content, reasoning or tool call parts). */
  delta(delta: Record<string, unknown>, counts?: Usage): string {
    const choice = { index: 0, delta, logprobs: null, finish_reason: null, token_ids: null };
    return this.chunk([choice], counts ? { usage: counts } : {});
  }

  /** The last chunk of the choice: its final delta with `finish_reason` and `stop_reason`. */
  final(delta: Record<string, unknown>, finishReason: string, counts?: Usage): string {
    const choice = {
      index: 0,
      delta,
      logprobs: null,
      finish_reason: finishReason,
      stop_reason: null,
      token_ids: null,
    };
    return this.chunk([choice], counts ? { usage: counts } : {});
  }

  /** The usage chunk sent before `[DONE]` when usage was asked for: no choices. */
  usage(counts: Usage): string {
    return this.chunk([], { usage: counts });
  }
}
