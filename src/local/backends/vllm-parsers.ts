/**
 * What vLLM's serving layer does to a model's raw text before the client sees
 * it: the Qwen3 reasoning parser splits off the `<think>` block, the hermes
 * tool parser turns `<tool_call>` blocks into OpenAI `tool_calls`, and a named
 * `tool_choice` turns the whole (guided JSON) output into one call's arguments.
 *
 * Both paths are emulated: {@link parseComplete} as vLLM parses a finished
 * output, and {@link StreamingParser} as it diffs a growing one (the current
 * hermes streaming parser: content up to the first `<tool_call>` with a partial
 * tag held back, then per call a name delta with the id, then argument
 * fragments taken by brace matching). See `vllm-wire.md` sections 1, 2 and 5.
 */
import { randomBytes } from "node:crypto";
import { THINK_END, THINK_START } from "./model-text.js";
import { pythonJsonDumps } from "./python-json.js";

const CALL_START = "<tool_call>";
const CALL_END = "</tool_call>";

/** How the (emulated) server is set up for this request. */
export interface ServingProfile {
  /** Field the reasoning parser writes to, or null when no reasoning parser runs. */
  reasoningField: "reasoning" | "reasoning_content" | null;
  /** False when the request set `include_reasoning: false`: reasoning is dropped. */
  includeReasoning: boolean;
  /** Whether the hermes tool parser runs (`--tool-call-parser hermes`, tools offered, auto or required). */
  parseToolCalls: boolean;
  /** The function of a named `tool_choice`. */
  namedTool: string | undefined;
  /** `tool_choice: "required"`. */
  required: boolean;
}

/** A tool call in a non-streaming message. */
export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/** The message parts vLLM returns for a finished output. */
export interface ParsedOutput {
  reasoning: string | null;
  content: string | null;
  toolCalls: ToolCall[];
  finishReason: string;
}

/** A tool call id as vLLM makes them: `chatcmpl-tool-` and 32 lowercase hex digits. */
export function toolCallId(): string {
  return `chatcmpl-tool-${randomBytes(16).toString("hex")}`;
}

/** Splits off the think block as the newest Qwen3 parser does; no end tag means it was all reasoning. */
function splitReasoning(text: string): { reasoning: string; content: string } {
  const body = text.startsWith(THINK_START) ? text.slice(THINK_START.length) : text;
  const end = body.indexOf(THINK_END);
  if (end < 0) return { reasoning: body, content: "" };
  return { reasoning: body.slice(0, end), content: body.slice(end + THINK_END.length) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The hermes parser's non-streaming extraction; null when the output holds no valid calls. */
function extractHermes(content: string): { content: string | null; calls: ToolCall[] } | null {
  const first = content.indexOf(CALL_START);
  if (first < 0) return null;
  const calls: ToolCall[] = [];
  try {
    for (const match of content.matchAll(
      /<tool_call>([\s\S]*?)<\/tool_call>|<tool_call>([\s\S]*)/g,
    )) {
      const parsed: unknown = JSON.parse(match[1] ?? match[2] ?? "");
      if (!isRecord(parsed) || typeof parsed.name !== "string" || !("arguments" in parsed)) {
        return null;
      }
      calls.push({
        id: toolCallId(),
        type: "function",
        function: { name: parsed.name, arguments: pythonJsonDumps(parsed.arguments) },
      });
    }
  } catch {
    // vLLM returns the whole raw output as content when any block is not valid JSON.
    return null;
  }
  const before = content.slice(0, first);
  return { content: before.trim() === "" ? null : before, calls };
}

/**
 * The finish reason of an output whose tool calls were parsed: `tool_calls`,
 * unless `max_tokens` cut the output (`length`). vLLM's own two paths differ
 * here: its non-streaming path says `tool_calls` for any parsed auto call,
 * its streaming path keeps the engine's `length`. The demo answers `length`
 * on both, so one request gets one answer and a client learns that the output
 * was cut (the closing tag, and any call after it, are missing).
 */
export function toolCallsFinish(engineFinish: "stop" | "length"): "tool_calls" | "length" {
  return engineFinish === "stop" ? "tool_calls" : "length";
}

/** Parses a finished output as vLLM's non-streaming path does. */
export function parseComplete(
  text: string,
  engineFinish: "stop" | "length",
  profile: ServingProfile,
): ParsedOutput {
  let reasoning: string | null = null;
  let content: string | null = text;
  if (profile.reasoningField !== null) {
    const split = splitReasoning(text);
    reasoning = profile.includeReasoning ? split.reasoning : null;
    content = split.content === "" ? null : split.content;
  }
  if (profile.namedTool !== undefined) {
    const call: ToolCall = {
      id: toolCallId(),
      type: "function",
      function: { name: profile.namedTool, arguments: content ?? "" },
    };
    return { reasoning, content: "", toolCalls: [call], finishReason: engineFinish };
  }
  if (profile.parseToolCalls && content !== null) {
    const extracted = extractHermes(content);
    if (extracted !== null) {
      return {
        reasoning,
        content: profile.required ? (extracted.content ?? "") : extracted.content,
        toolCalls: extracted.calls,
        finishReason: toolCallsFinish(engineFinish),
      };
    }
  }
  return {
    reasoning,
    content: profile.required ? (content ?? "") : content,
    toolCalls: [],
    // vLLM reports "tool_calls" for a required choice that stopped normally, calls or not.
    finishReason: profile.required ? toolCallsFinish(engineFinish) : engineFinish,
  };
}

/** The longest suffix of `text` that is a proper prefix of `tag` (a tag that may still be arriving). */
function partialTagOverlap(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (text.endsWith(tag.slice(0, length))) return length;
  }
  return 0;
}

/** The `arguments` value inside a (possibly unfinished) call object, by string-aware brace matching. */
function argumentsText(json: string, complete: boolean): string | undefined {
  const key = /"arguments"\s*:\s*/.exec(json);
  if (!key) return undefined;
  let raw = json.slice(key.index + key[0].length);
  const open = raw[0];
  if (open !== "{" && open !== "[") {
    if (complete) {
      raw = raw.trimEnd();
      if (raw.endsWith("}")) raw = raw.slice(0, -1).trimEnd();
    }
    return raw;
  }
  const close = open === "{" ? "}" : "]";
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === open) depth++;
    else if (c === close && --depth === 0) return raw.slice(0, i + 1);
  }
  return raw;
}

/** A JSON text ends in one of these; most unfinished calls do not, and skip a throwing parse. */
const JSON_LAST_CHAR = /[}\]"\de]$|null$/;

function isCompleteJson(text: string): boolean {
  if (!JSON_LAST_CHAR.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The incremental hermes parser: re-reads the whole text on each delta and sends what is new. */
class HermesStream {
  private sentContent = 0;
  private readonly calls: Array<{ named: boolean; sentArgs: string }> = [];

  update(text: string): Record<string, unknown> | null {
    const content = this.newContent(text);
    const deltas: Array<Record<string, unknown>> = [];
    for (const [index, region] of this.regions(text).entries()) {
      const call = this.calls[index] ?? { named: false, sentArgs: "" };
      this.calls[index] = call;
      if (!call.named) {
        const name = /"name"\s*:\s*"([^"]+)"/.exec(region.json)?.[1];
        // A later call waits until this one has its name.
        if (name === undefined) break;
        call.named = true;
        deltas.push({ id: toolCallId(), type: "function", index, function: { name } });
      }
      const args = argumentsText(region.json, region.complete);
      if (args !== undefined && args.length > call.sentArgs.length) {
        deltas.push({ index, function: { arguments: args.slice(call.sentArgs.length) } });
        call.sentArgs = args;
      }
    }
    if (content || deltas.length > 0) return { content: content ?? null, tool_calls: deltas };
    return null;
  }

  get streamedCalls(): boolean {
    return this.calls.some((call) => call.named);
  }

  private newContent(text: string): string | undefined {
    const tagAt = text.indexOf(CALL_START);
    const sendable = tagAt >= 0 ? tagAt : text.length - partialTagOverlap(text, CALL_START);
    if (sendable <= this.sentContent) return undefined;
    const content = text.slice(this.sentContent, sendable);
    this.sentContent = sendable;
    return content;
  }

  private regions(text: string): Array<{ json: string; complete: boolean }> {
    const regions: Array<{ json: string; complete: boolean }> = [];
    let from = 0;
    for (;;) {
      const start = text.indexOf(CALL_START, from);
      if (start < 0) return regions;
      const jsonStart = start + CALL_START.length;
      const end = text.indexOf(CALL_END, jsonStart);
      if (end >= 0) {
        regions.push({ json: text.slice(jsonStart, end).trim(), complete: true });
        from = end + CALL_END.length;
        continue;
      }
      let raw = text.slice(jsonStart);
      const overlap = partialTagOverlap(raw, CALL_END);
      if (overlap > 0) raw = raw.slice(0, -overlap);
      const json = raw.trim();
      regions.push({ json, complete: json !== "" && isCompleteJson(json) });
      return regions;
    }
  }
}

/** Turns generated pieces into stream deltas, one piece at a time, as vLLM's streaming path does. */
export class StreamingParser {
  private inReasoning: boolean;
  private afterReasoning = "";
  private namedStarted = false;
  private readonly hermes: HermesStream | undefined;

  constructor(private readonly profile: ServingProfile) {
    this.inReasoning = profile.reasoningField !== null;
    this.hermes = profile.parseToolCalls ? new HermesStream() : undefined;
  }

  /** Whether any parser rewrites the text (then the end-of-sequence delta is `{}`, not `{"content":""}`). */
  get active(): boolean {
    return (
      this.profile.reasoningField !== null ||
      this.hermes !== undefined ||
      this.profile.namedTool !== undefined
    );
  }

  /** Whether tool call deltas were sent (the finish reason becomes `tool_calls` unless the choice was named). */
  get toolsStreamed(): boolean {
    return this.namedStarted || (this.hermes?.streamedCalls ?? false);
  }

  /** The delta for the next generated piece, or null when vLLM would send nothing for it. */
  next(piece: string): Record<string, unknown> | null {
    const field = this.profile.reasoningField;
    if (this.inReasoning && field !== null) {
      if (piece === THINK_START) return null;
      if (piece === THINK_END) {
        this.inReasoning = false;
        return null;
      }
      return this.profile.includeReasoning ? { [field]: piece } : null;
    }
    this.afterReasoning += piece;
    if (this.profile.namedTool !== undefined) {
      if (piece === "") return null;
      const first = !this.namedStarted;
      this.namedStarted = true;
      return {
        tool_calls: [
          first
            ? {
                id: toolCallId(),
                type: "function",
                index: 0,
                function: { name: this.profile.namedTool, arguments: piece },
              }
            : { index: 0, function: { arguments: piece } },
        ],
      };
    }
    if (this.hermes !== undefined) return this.hermes.update(this.afterReasoning);
    return piece === "" && field !== null ? null : { content: piece };
  }
}
