/**
 * The request checks vLLM's OpenAI server makes before generating, with its
 * status codes and messages, and the normalized "mode" of a request that passes
 * them (which tools, which tool choice, which output format, streaming options).
 * Messages follow vLLM's `chat_completion/protocol.py` validators so that client
 * error handling can be tested against the same text.
 */
import type { ChatCompletionRequestBody, JsonBackendResponse } from "../backend.js";
import { vllmError } from "../error-bodies.js";
import { type OfferedTool, offeredTools } from "./conversation.js";

/** How the request constrains tool calling, after vLLM's defaulting. */
export type ToolChoice =
  | { kind: "none" }
  | { kind: "auto" }
  | { kind: "required" }
  | { kind: "named"; name: string };

/** The output format the request asks for. */
export type OutputFormat =
  | { kind: "text" }
  | { kind: "json_object" }
  | { kind: "json_schema"; schema: Record<string, unknown> };

/** A request that passed the checks, reduced to what the demo model acts on. */
export interface RequestMode {
  tools: OfferedTool[];
  toolChoice: ToolChoice;
  format: OutputFormat;
  stream: boolean;
  /** A final usage chunk (`stream_options.include_usage`, which defaults to true once `stream_options` is sent). */
  includeUsage: boolean;
  /** Usage on every chunk (`stream_options.continuous_usage_stats`). */
  continuousUsage: boolean;
  /** `max_completion_tokens` or `max_tokens`, when a positive integer. */
  maxTokens: number | undefined;
  /** False when the request sets `include_reasoning: false`. */
  includeReasoning: boolean;
  /** False when `chat_template_kwargs.enable_thinking` is false (Qwen3's switch). */
  thinking: boolean;
}

/** The result of {@link checkRequest}. */
export type CheckedRequest =
  | { ok: true; mode: RequestMode }
  | { ok: false; response: JsonBackendResponse };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A vLLM error body as a backend response. */
export function errorResponse(
  status: number,
  type: string,
  message: string,
  param: string | null = null,
): JsonBackendResponse {
  const error = vllmError(status, type, message, param);
  return { type: "json", status: error.status, headers: error.headers, body: error.body };
}

function badRequest(message: string, param: string | null = null): CheckedRequest {
  return { ok: false, response: errorResponse(400, "BadRequestError", message, param) };
}

/** Python truthiness of a JSON value, which vLLM's validators rely on (`{}` is false). */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isRecord(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

const USAGE = 'Correct usage: `{"type": "function", "function": {"name": "my_function"}}`';

function checkToolChoice(request: ChatCompletionRequestBody, tools: OfferedTool[]) {
  const hasToolsKey = request.tools !== undefined && request.tools !== null;
  if (!("tool_choice" in request) || request.tool_choice === undefined) {
    return { kind: hasToolsKey ? "auto" : "none" } as const;
  }
  const choice = request.tool_choice;
  if (choice === null || choice === "none") return { kind: "none" } as const;
  if (!hasToolsKey)
    return badRequest("When using `tool_choice`, `tools` must be set.", "tool_choice");
  if (choice === "auto" || choice === "required") return { kind: choice } as const;
  if (!isRecord(choice)) {
    return badRequest(
      `Invalid value for \`tool_choice\`: ${String(choice)}! Only named tools, "none", "auto" or "required" are supported.`,
      "tool_choice",
    );
  }
  const fn = choice.function;
  if (!isRecord(fn)) {
    return badRequest(
      `Invalid value for \`function\`: \`${JSON.stringify(fn ?? null)}\` in \`tool_choice\`! ${USAGE}`,
      "tool_choice.function",
    );
  }
  if (!("name" in fn)) {
    return badRequest(
      `Expected field \`name\` in \`function\` in \`tool_choice\`! ${USAGE}`,
      "tool_choice.function.name",
    );
  }
  if (typeof fn.name !== "string" || fn.name === "") {
    return badRequest(
      `Invalid \`name\` in \`function\`: \`${String(fn.name)}\` in \`tool_choice\`! ${USAGE}`,
      "tool_choice.function.name",
    );
  }
  const name = fn.name;
  if (!tools.some((tool) => tool.name === name)) {
    return badRequest(
      "The tool specified in `tool_choice` does not match any of the specified `tools`",
      "tool_choice",
    );
  }
  return { kind: "named", name } as const;
}

function checkFormat(responseFormat: unknown): OutputFormat | CheckedRequest {
  if (responseFormat === undefined || responseFormat === null) return { kind: "text" };
  if (!isRecord(responseFormat)) {
    return badRequest("`response_format` must be an object.", "response_format");
  }
  switch (responseFormat.type) {
    case "text":
    case "structural_tag":
      return { kind: "text" };
    case "json_object":
      return { kind: "json_object" };
    case "json_schema": {
      const jsonSchema = responseFormat.json_schema;
      if (jsonSchema === undefined || jsonSchema === null) {
        return badRequest(
          "When response_format type is 'json_schema', the 'json_schema' field must be provided.",
          "response_format",
        );
      }
      const schema = isRecord(jsonSchema) ? jsonSchema.schema : undefined;
      return { kind: "json_schema", schema: isRecord(schema) ? schema : {} };
    }
    default:
      return badRequest(
        "`response_format.type` must be one of 'text', 'json_object', 'json_schema' or 'structural_tag'.",
        "response_format",
      );
  }
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * Checks `request` as vLLM would for a server whose only model is `servedModel`.
 * Request-shape errors come first (400), then the model name (404), as in vLLM,
 * where the body is validated before the model is looked up.
 */
export function checkRequest(
  request: ChatCompletionRequestBody,
  servedModel: string,
): CheckedRequest {
  if (!Array.isArray(request.messages)) {
    return badRequest("`messages` must be a list of chat messages.", "messages");
  }
  if (truthy(request.stream_options) && !request.stream) {
    return badRequest("Stream options can only be defined when `stream=True`.", "stream_options");
  }
  const format = checkFormat(request.response_format);
  if ("ok" in format) return format;

  if (Array.isArray(request.tools) && request.tools.length === 0) {
    return badRequest(
      "`tools` must not be an empty array. Either provide at least one tool or omit the field entirely.",
      "tools",
    );
  }
  if (request.tools !== undefined && request.tools !== null) {
    if (!Array.isArray(request.tools)) return badRequest("`tools` must be a list.", "tools");
    const usable = offeredTools(request.tools).length;
    if (usable !== request.tools.length) {
      return badRequest(
        'Each entry of `tools` must be {"type": "function", "function": {"name": ...}} with a non-empty name.',
        "tools",
      );
    }
  }
  const tools = offeredTools(request.tools);
  const toolChoice = checkToolChoice(request, tools);
  if ("ok" in toolChoice) return toolChoice;
  if (toolChoice.kind === "named" && format.kind !== "text") {
    return badRequest(
      "You can only either use constraints for structured outputs or tools, not both.",
    );
  }
  if (request.n !== undefined && request.n !== null && request.n !== 1) {
    return badRequest("The demo model returns a single choice: `n` must be 1.", "n");
  }

  const model = request.model;
  if (model !== undefined && model !== null && model !== "" && model !== servedModel) {
    return {
      ok: false,
      response: errorResponse(
        404,
        "NotFoundError",
        `The model \`${String(model)}\` does not exist.`,
        "model",
      ),
    };
  }

  const options = isRecord(request.stream_options) ? request.stream_options : undefined;
  const templateKwargs = isRecord(request.chat_template_kwargs) ? request.chat_template_kwargs : {};
  return {
    ok: true,
    mode: {
      tools,
      toolChoice,
      format,
      stream: request.stream === true,
      // vLLM's StreamOptions.include_usage defaults to true: `{}` turns usage on.
      includeUsage: options !== undefined && options.include_usage !== false,
      continuousUsage: options?.continuous_usage_stats === true,
      maxTokens:
        positiveInteger(request.max_completion_tokens) ?? positiveInteger(request.max_tokens),
      includeReasoning: request.include_reasoning !== false,
      thinking: templateKwargs.enable_thinking !== false,
    },
  };
}
