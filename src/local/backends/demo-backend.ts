/**
 * The built-in demo model: a deterministic stand-in for Qwen3 behind vLLM's
 * OpenAI server. A request goes through the same stages as in vLLM:
 * validation (`request-checks.ts`), "generation" by a script
 * (`script-engine.ts` + `model-text.ts`), then the serving layer's reasoning and
 * tool parsers (`vllm-parsers.ts`) and vLLM's JSON shapes (`wire-format.ts`).
 * The same request always yields the same text; ids and `created` vary, as in vLLM.
 */
import type {
  BackendContext,
  BackendResponse,
  ChatBackend,
  ChatCompletionRequestBody,
} from "../backend.js";
import { LocalEndpointConfigError } from "../errors.js";
import { waitForClient } from "../wait-for-client.js";
import {
  DEFAULT_DEMO_MODEL,
  type DemoBackendConfig,
  demoBackendConfigSchema,
  parseBackendConfig,
} from "./config.js";
import { viewConversation } from "./conversation.js";
import { modelText } from "./model-text.js";
import { checkRequest, errorResponse, type RequestMode } from "./request-checks.js";
import { type CompiledScript, compileScripts, decide } from "./script-engine.js";
import type { Script } from "./script-types.js";
import { builtInScripts, generalScript } from "./scripts/index.js";
import {
  parseComplete,
  type ServingProfile,
  StreamingParser,
  toolCallsFinish,
} from "./vllm-parsers.js";
import {
  ChunkWriter,
  type CompletionIdentity,
  completionBody,
  SSE_DONE,
  type Usage,
  usage,
} from "./wire-format.js";

const JSON_HEADERS = { "content-type": "application/json" };
const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8" };

/** The script a config names, with the `general` rules appended as the fallback. */
function resolveScript(script: DemoBackendConfig["script"]): CompiledScript {
  let chosen: Script;
  if (script === undefined) chosen = generalScript;
  else if (typeof script === "string") {
    const builtIn = builtInScripts[script];
    if (builtIn === undefined) {
      throw new LocalEndpointConfigError(
        "LOCAL_BACKEND_INVALID",
        `Unknown demo script "${script}": use one of ${Object.keys(builtInScripts).join(", ")}, or give the script inline.`,
      );
    }
    chosen = builtIn;
  } else chosen = script;
  return chosen === generalScript
    ? compileScripts(generalScript)
    : compileScripts(chosen, generalScript);
}

/** The settings of one demo backend, resolved from its config. */
interface DemoSettings {
  model: string;
  nativeToolCalls: boolean;
  reasoning: boolean;
  reasoningField: "reasoning" | "reasoning_content" | "inline";
  latencyMs: number;
  chunkDelayMs: number;
  script: CompiledScript;
}

function servingProfile(settings: DemoSettings, mode: RequestMode, think: boolean): ServingProfile {
  const choice = mode.toolChoice;
  return {
    reasoningField: think && settings.reasoningField !== "inline" ? settings.reasoningField : null,
    includeReasoning: mode.includeReasoning,
    // Auto calls need the server's hermes parser; required and named calls use guided decoding.
    parseToolCalls:
      (choice.kind === "auto" && settings.nativeToolCalls) || choice.kind === "required",
    namedTool: choice.kind === "named" ? choice.name : undefined,
    required: choice.kind === "required",
  };
}

/**
 * How many `chunkDelayMs` waits generating `pieces` takes: one before each
 * generated piece, except that on "length" the last piece rides on the final
 * chunk, sent without a wait. Streamed or not, the reply takes this long, as a
 * real server generates the same tokens either way.
 */
function pacedPieces(pieces: number, engineFinish: "stop" | "length"): number {
  return Math.max(0, engineFinish === "length" ? pieces - 1 : pieces);
}

async function* streamEvents(
  identity: CompletionIdentity,
  pieces: string[],
  engineFinish: "stop" | "length",
  profile: ServingProfile,
  mode: RequestMode,
  promptTokens: number,
  settings: DemoSettings,
  signal: AbortSignal,
): AsyncGenerator<string> {
  const writer = new ChunkWriter(identity);
  const parser = new StreamingParser(profile);
  const completionTokens = pieces.length + (engineFinish === "stop" ? 1 : 0);
  const running = (tokens: number): Usage | undefined =>
    mode.continuousUsage ? usage(promptTokens, tokens) : undefined;

  yield writer.first(running(0));
  // On "length" the last generated piece rides on the final chunk; on "stop" the end-of-sequence token does.
  const streamed = pacedPieces(pieces.length, engineFinish);
  for (let i = 0; i < streamed; i++) {
    if (signal.aborted) return;
    if (!(await waitForClient(settings.chunkDelayMs, signal))) return;
    const delta = parser.next(pieces[i] ?? "");
    if (delta !== null) yield writer.delta(delta, running(i + 1));
  }
  const finalDelta =
    engineFinish === "length"
      ? (parser.next(pieces.at(-1) ?? "") ?? {})
      : parser.active
        ? {}
        : { content: "" };
  const finishReason =
    parser.toolsStreamed && profile.namedTool === undefined
      ? toolCallsFinish(engineFinish)
      : engineFinish;
  yield writer.final(finalDelta, finishReason, running(completionTokens));
  if (mode.includeUsage) yield writer.usage(usage(promptTokens, completionTokens));
  yield SSE_DONE;
}

/**
 * Answers one request as the demo model. A complete (non-streamed) answer
 * comes back once every token is generated, after one wait that ends early,
 * with 499, when the client leaves; a stream paces itself chunk by chunk.
 */
async function respond(
  settings: DemoSettings,
  request: ChatCompletionRequestBody,
  context: BackendContext,
): Promise<BackendResponse> {
  const checked = checkRequest(request, settings.model);
  if (!checked.ok) return checked.response;
  const { mode } = checked;
  const view = viewConversation(request.messages, request.tools);
  const decision = decide(settings.script, view, mode, settings.model);
  const think = settings.reasoning && mode.thinking;
  const profile = servingProfile(settings, mode, think);
  const output = modelText(decision, {
    think,
    namedChoice: mode.toolChoice.kind === "named",
    maxTokens: mode.maxTokens,
  });
  const identity: CompletionIdentity = {
    id: `chatcmpl-${context.requestId}`,
    created: Math.floor(Date.now() / 1000),
    model: settings.model,
  };
  const promptTokens = Math.max(1, Math.ceil(view.promptChars / 4));
  if (mode.stream) {
    const body = streamEvents(
      identity,
      output.pieces,
      output.finishReason,
      profile,
      mode,
      promptTokens,
      settings,
      context.signal,
    );
    return { type: "stream", status: 200, headers: SSE_HEADERS, body };
  }
  const parsed = parseComplete(output.pieces.join(""), output.finishReason, profile);
  const completionTokens = output.pieces.length + (output.finishReason === "stop" ? 1 : 0);
  const reasoningKey =
    settings.reasoningField === "reasoning_content" ? "reasoning_content" : "reasoning";
  const body = completionBody(
    identity,
    parsed,
    reasoningKey,
    usage(promptTokens, completionTokens),
  );
  const generationMs =
    settings.chunkDelayMs * pacedPieces(output.pieces.length, output.finishReason);
  if (!(await waitForClient(generationMs, context.signal))) return clientClosed();
  return { type: "json", status: 200, headers: JSON_HEADERS, body };
}

function clientClosed(): BackendResponse {
  return errorResponse(499, "ClientClosedRequest", "The client closed the request.");
}

/**
 * Creates the demo backend. Throws `LocalEndpointConfigError`
 * (`LOCAL_BACKEND_INVALID`) for an invalid config or an unknown script name.
 */
export function createDemoBackend(config: DemoBackendConfig): ChatBackend {
  const parsed = parseBackendConfig(demoBackendConfigSchema, config);
  const settings: DemoSettings = {
    model: parsed.model ?? DEFAULT_DEMO_MODEL,
    nativeToolCalls: (parsed.toolCalls ?? "native") === "native",
    reasoning: parsed.reasoning ?? false,
    reasoningField: parsed.reasoningField ?? "reasoning",
    latencyMs: parsed.latencyMs ?? 0,
    chunkDelayMs: parsed.chunkDelayMs ?? 0,
    script: resolveScript(parsed.script),
  };
  return {
    async complete(request, context) {
      // Time to first token: the prompt is processed before anything comes back.
      if (!(await waitForClient(settings.latencyMs, context.signal))) return clientClosed();
      try {
        return await respond(settings, request, context);
      } catch (error) {
        // A bug in the demo must still reach the client as vLLM's 500, not crash the server.
        const message = error instanceof Error ? error.message : String(error);
        return errorResponse(500, "InternalServerError", `Demo model failed: ${message}`);
      }
    },
  };
}
