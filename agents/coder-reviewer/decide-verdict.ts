/**
 * Turning the reviewer's turn into a verdict. After the reviewer agent has
 * looked at the code (and used its tools), its model is asked once more for the
 * verdict with `withStructuredOutput`, on the whole review conversation (as
 * LangGraph's prebuilt agents do for a response format). When that fails in a
 * way that says "this model or server cannot do it" (a 400/422, an unparsable
 * answer), the verdict is read from the reviewer's prose instead.
 *
 * The structured-output runnable is built once per reviewer model, on its first verdict,
 * and kept while the model lives: building it converts the schema and copies the model,
 * work that is the same for every review.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { type BaseMessage, SystemMessage } from "@langchain/core/messages";
import type { Runnable, RunnableConfig } from "@langchain/core/runnables";
import type { Review } from "./state.js";
import { parseVerdictText, type Verdict, verdictSchema } from "./verdict.js";

/** The verdict of one review, without its round. */
export type DecidedVerdict = Omit<Review, "round">;

/** The function name the structured-output request uses (seen in traces and tool_choice). */
export const VERDICT_FUNCTION_NAME = "review_verdict";

/** What the structured verdict call answers: the parsed verdict (if any) and the raw message. */
interface StructuredVerdict {
  parsed: Verdict | null | undefined;
  raw: unknown;
}

/** Each reviewer model's structured-output runnable (see the module comment). */
const structuredVerdicts = new WeakMap<BaseChatModel, Runnable<BaseMessage[], StructuredVerdict>>();

/** The runnable that asks `model` for a structured verdict, built on first use. */
function structuredVerdictOf(model: BaseChatModel): Runnable<BaseMessage[], StructuredVerdict> {
  let structured = structuredVerdicts.get(model);
  if (structured === undefined) {
    structured = model.withStructuredOutput(verdictSchema, {
      name: VERDICT_FUNCTION_NAME,
      includeRaw: true,
    }) as Runnable<BaseMessage[], StructuredVerdict>;
    structuredVerdicts.set(model, structured);
  }
  return structured;
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const record = error as Record<string, unknown>;
  const status = record.status ?? record.statusCode;
  return typeof status === "number" ? status : undefined;
}

/**
 * Errors that mean structured output is not available here, so prose is the way:
 * a request the server refuses as malformed (400, 422: no `response_format`
 * or named `tool_choice` support) or an answer LangChain could not parse.
 * Anything else (network, auth, throttling, abort) is a real failure and propagates.
 */
function structuredOutputUnavailable(error: unknown): boolean {
  const status = statusOf(error);
  if (status === 400 || status === 422) return true;
  const name = error instanceof Error ? error.name : "";
  return name === "OutputParserException" || name === "ZodError" || name === "SyntaxError";
}

function rawText(raw: unknown): string {
  if (typeof raw !== "object" || raw === null) return "";
  const text = (raw as { text?: unknown }).text;
  return typeof text === "string" ? text : "";
}

function clean(verdict: Verdict): Verdict {
  return {
    approved: verdict.approved === true,
    comments: verdict.comments
      .filter((comment) => typeof comment === "string" && comment.trim() !== "")
      .slice(0, 50),
  };
}

/**
 * Asks `model` for a structured verdict on `conversation` (the reviewer agent's
 * messages, system prompt excluded), falling back to reading `reviewText`.
 */
export async function decideVerdict(
  model: BaseChatModel,
  systemPrompt: string,
  conversation: BaseMessage[],
  reviewText: string,
  config: RunnableConfig,
): Promise<DecidedVerdict> {
  if (typeof model.withStructuredOutput === "function") {
    try {
      const output = await structuredVerdictOf(model).invoke(
        [new SystemMessage(systemPrompt), ...conversation],
        config,
      );
      if (output.parsed !== undefined && output.parsed !== null) {
        return { ...clean(output.parsed), source: "structured" };
      }
      const fromRaw = parseVerdictText(rawText(output.raw));
      if (fromRaw.decided)
        return { approved: fromRaw.approved, comments: fromRaw.comments, source: "text" };
    } catch (error) {
      if (!structuredOutputUnavailable(error)) throw error;
    }
  }
  const fromProse = parseVerdictText(reviewText);
  return {
    approved: fromProse.approved,
    comments: fromProse.comments,
    source: fromProse.decided ? "text" : "undecided",
  };
}
