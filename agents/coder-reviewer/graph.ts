/**
 * `createCoderReviewerGraph`: the article's coder and reviewer agents as a
 * LangGraph workflow. The coder writes code (using its tools), the reviewer
 * reviews it (using its tools) and gives a structured verdict; on "changes
 * requested" the coder revises with the comments; the run stops on approval or
 * after `maxRounds`, and `stopReason` says which.
 *
 * Each agent is normally its own inference component of one SageMaker endpoint
 * (two `ChatSageMakerOpenAI`), but any LangChain chat models work.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { END, type LangGraphRunnableConfig, START, StateGraph } from "@langchain/langgraph";
import { ValidationError } from "../../src/errors.js";
import { calculatorTool } from "../../tools/calculator.js";
import { syntaxCheckTool } from "../../tools/syntax-check.js";
import { Agent, type AgentResult, DEFAULT_MAX_STEPS } from "../agent.js";
import type { AgentEvent } from "../events.js";
import { modelTarget } from "../model-target.js";
import { DEFAULT_MAX_ROUNDS, MAX_TASK_CHARS } from "./constants.js";
import { decideVerdict } from "./decide-verdict.js";
import type { CoderReviewerEvent, GraphAgent } from "./events.js";
import { extractCode } from "./extract-code.js";
import {
  coderSystemPrompt,
  firstDraftMessage,
  type PromptLanguage,
  PYTHON,
  reviewerSystemPrompt,
  reviewMessage,
  revisionMessage,
} from "./prompts.js";
import { CoderReviewerState, type CoderReviewerStateType, type Review } from "./state.js";
import { markTokenListeners, tokenEventsWanted } from "./token-listeners.js";

export { DEFAULT_MAX_ROUNDS, MAX_TASK_CHARS };

/** When LangGraph writes a finished step's checkpoint (its `durability` option; the package does not export the type). */
export type CheckpointDurability = "sync" | "async" | "exit";

/** Options of {@link createCoderReviewerGraph}. */
export interface CoderReviewerGraphOptions {
  /** The coder's chat model (e.g. ChatSageMakerOpenAI on the `coder` inference component). */
  coder: BaseChatModel;
  /** The reviewer's chat model; it must support `withStructuredOutput` for the best verdicts. */
  reviewer: BaseChatModel;
  /** Rounds (1-20) before stopping without approval. @default 3 */
  maxRounds?: number;
  /**
   * Persists every step (MemorySaver, SqliteCheckpointSaver, PostgresSaver, ...);
   * a thread can then resume where it stopped.
   */
  checkpointer?: BaseCheckpointSaver;
  /**
   * When a finished step's checkpoint is written (LangGraph's `durability`).
   * With a checkpointer the default is `"sync"`: each step is saved before the
   * next begins, so a process killed at any instant resumes from its last
   * finished step. `"async"` overlaps the write with the next step (a kill can
   * lose the step just finished); `"exit"` saves only when the run ends.
   * A `durability` passed to `invoke`/`stream` wins over this.
   * @default "sync"
   */
  durability?: CheckpointDurability;
  /** The coder's tools. @default [calculatorTool] */
  coderTools?: StructuredToolInterface[];
  /** The reviewer's tools. @default [syntaxCheckTool] */
  reviewerTools?: StructuredToolInterface[];
  /** The language the prompts ask for. @default Python (PEP 8) */
  language?: PromptLanguage;
  /** Bound on model calls per agent turn (see `Agent`). @default 8 */
  maxSteps?: number;
  /** Replace the system prompts (the defaults follow the article). */
  systemPrompts?: { coder?: string; reviewer?: string };
}

function checkOptions(options: CoderReviewerGraphOptions): number {
  if (typeof options !== "object" || options === null) {
    throw new ValidationError(
      "INVALID_GRAPH_OPTIONS",
      "createCoderReviewerGraph takes { coder, reviewer, maxRounds?, checkpointer? }.",
    );
  }
  for (const key of ["coder", "reviewer"] as const) {
    if (typeof (options[key] as Partial<BaseChatModel> | undefined)?.stream !== "function") {
      throw new ValidationError(
        "INVALID_GRAPH_OPTIONS",
        `createCoderReviewerGraph: ${key} must be a LangChain chat model (e.g. ChatSageMakerOpenAI).`,
      );
    }
  }
  const rounds = options.maxRounds ?? DEFAULT_MAX_ROUNDS;
  if (!(Number.isInteger(rounds) && rounds >= 1 && rounds <= 20)) {
    throw new ValidationError(
      "INVALID_MAX_ROUNDS",
      `maxRounds must be a whole number from 1 to 20; got ${String(options.maxRounds)}.`,
    );
  }
  return rounds;
}

function checkTask(task: unknown): string {
  if (typeof task !== "string" || task.trim() === "") {
    throw new ValidationError(
      "INVALID_TASK",
      'The input needs a task: invoke({ task: "Write ..." }).',
    );
  }
  if (task.length > MAX_TASK_CHARS) {
    throw new ValidationError(
      "INVALID_TASK",
      `The task is ${task.length} characters long; the limit is ${MAX_TASK_CHARS}.`,
    );
  }
  return task;
}

function emit(config: LangGraphRunnableConfig, event: CoderReviewerEvent): void {
  config.writer?.(event);
}

/**
 * Runs one agent turn, forwarding its events (tagged with the round) to the graph's stream
 * when the caller reads them. Listening makes the agent's model calls stream; without a
 * reader they are plain calls, which LangChain still streams for a callback that asks
 * (`streamEvents`, the `messages` mode) or a model built with `streaming: true`.
 */
async function runTurn(
  agent: Agent,
  prompt: string,
  round: number,
  model: BaseChatModel,
  config: LangGraphRunnableConfig,
): Promise<AgentResult> {
  const name = agent.name as GraphAgent;
  emit(config, { type: "agent_start", agent: name, round });
  const onEvent = tokenEventsWanted(config)
    ? (event: AgentEvent) => {
        if (event.type !== "final") emit(config, { ...event, round });
      }
    : undefined;
  return agent.invoke(prompt, {
    callbacks: config.callbacks,
    signal: config.signal,
    // LangSmith shows these on the agent's run and everything under it.
    metadata: { agent: name, round, ...modelTarget(model) },
    tags: [`round:${round}`],
    onEvent,
  });
}

function buildGraph(options: CoderReviewerGraphOptions) {
  const maxRounds = checkOptions(options);
  const language = options.language ?? PYTHON;
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const coderTools = options.coderTools ?? [calculatorTool];
  const reviewerTools = options.reviewerTools ?? [syntaxCheckTool];
  const coderPrompt =
    options.systemPrompts?.coder ??
    coderSystemPrompt(
      language,
      coderTools.map((tool) => tool.name),
    );
  const reviewerPrompt =
    options.systemPrompts?.reviewer ??
    reviewerSystemPrompt(
      language,
      reviewerTools.map((tool) => tool.name),
    );
  const coder = new Agent({
    name: "coder",
    model: options.coder,
    systemPrompt: coderPrompt,
    tools: coderTools,
    maxSteps,
  });
  const reviewer = new Agent({
    name: "reviewer",
    model: options.reviewer,
    systemPrompt: reviewerPrompt,
    tools: reviewerTools,
    maxSteps,
  });

  async function writeCode(state: CoderReviewerStateType, config: LangGraphRunnableConfig) {
    const task = checkTask(state.task);
    const round = state.round + 1;
    const review = state.reviews.at(-1);
    const prompt =
      state.round === 0 || review === undefined || state.code === ""
        ? firstDraftMessage(task)
        : revisionMessage(task, state.code, review, language);
    const final = await runTurn(coder, prompt, round, options.coder, config);
    const extracted = extractCode(final.text, language.tag);
    const codeLanguage = extracted.language ?? null;
    emit(config, {
      type: "code",
      agent: "coder",
      round,
      code: extracted.code,
      language: codeLanguage,
    });
    return {
      round,
      code: extracted.code,
      language: codeLanguage,
      approved: false,
      stopReason: null,
    };
  }

  async function reviewCode(state: CoderReviewerStateType, config: LangGraphRunnableConfig) {
    const round = state.round;
    const prompt = reviewMessage(state.task, state.code, round, language);
    const final = await runTurn(reviewer, prompt, round, options.reviewer, config);
    const verdict = await decideVerdict(
      options.reviewer,
      reviewerPrompt,
      final.messages,
      final.text,
      {
        callbacks: config.callbacks,
        signal: config.signal,
        runName: "verdict",
        metadata: { agent: "reviewer", round, ...modelTarget(options.reviewer) },
        tags: [`round:${round}`],
      },
    );
    const review: Review = { round, ...verdict };
    emit(config, { type: "verdict", agent: "reviewer", ...review });
    const stopReason = verdict.approved ? "approved" : round >= maxRounds ? "max_rounds" : null;
    return { approved: verdict.approved, reviews: [review], stopReason };
  }

  const graph = new StateGraph(CoderReviewerState)
    .addNode("coder", writeCode)
    .addNode("reviewer", reviewCode)
    .addEdge(START, "coder")
    .addEdge("coder", "reviewer")
    .addConditionalEdges("reviewer", (state) => (state.stopReason === null ? "coder" : END), {
      coder: "coder",
      [END]: END,
    })
    .compile({
      ...(options.checkpointer === undefined ? {} : { checkpointer: options.checkpointer }),
      name: "coder-reviewer",
    });
  // LangGraph's own default ("async") can lose the step that just finished when the process dies.
  const configured =
    options.checkpointer === undefined
      ? graph
      : graph.withConfig({ durability: options.durability ?? "sync" });
  return markTokenListeners(configured);
}

/** The compiled coder/reviewer graph: `invoke({ task })`, `stream(...)`, `getState(...)`, ... */
export type CoderReviewerGraph = ReturnType<typeof buildGraph>;

/**
 * Builds the coder/reviewer workflow as a compiled LangGraph graph.
 *
 * `await graph.invoke({ task })` resolves to the final state: `{ task, code,
 * language, round, approved, reviews, stopReason }` (`stopReason` is
 * `"approved"` or `"max_rounds"`). With a `checkpointer`, pass
 * `{ configurable: { thread_id } }`; after a failure, `invoke(null, sameConfig)`
 * continues from the last finished step. Stream `["custom", "values"]` to see
 * tokens, tool calls and verdicts as they happen ({@link CoderReviewerEvent}).
 *
 * The model answers stream token by token only for a reader: a caller streaming the
 * `custom` mode, or LangChain's own (`streamMode: "messages"`, `streamEvents`, a model
 * built with `streaming: true`). `invoke`, and streams of other modes, make plain
 * (non-streaming) model requests, which cost far less CPU; the final state is the same.
 *
 * @example
 * ```ts
 * const graph = createCoderReviewerGraph({
 *   coder: new ChatSageMakerOpenAI({ endpointName: "agents", inferenceComponentName: "coder" }),
 *   reviewer: new ChatSageMakerOpenAI({ endpointName: "agents", inferenceComponentName: "reviewer" }),
 * });
 * const { code, approved, reviews } = await graph.invoke({ task: "Write a function that ..." });
 * ```
 */
export function createCoderReviewerGraph(options: CoderReviewerGraphOptions): CoderReviewerGraph {
  return buildGraph(options);
}
