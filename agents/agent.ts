/**
 * `Agent`: a Strands-style agent (a model, a system prompt, tools) in a bounded
 * tool loop. `new Agent({ model, systemPrompt, tools })` reads like Strands'
 * `Agent(model=..., system_prompt=..., tools=[...])`; `invoke` returns the
 * answer and the message trail, `stream` yields what happens as it happens.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { Serialized } from "@langchain/core/load/serializable";
import { type BaseMessage, HumanMessage } from "@langchain/core/messages";
import { getCallbackManagerForConfig, type RunnableConfig } from "@langchain/core/runnables";
import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { ValidationError } from "../src/errors.js";
import { type AgentLoop, type AgentLoopResult, createAgentLoop } from "./agent-loop.js";
import { EventQueue } from "./event-queue.js";
import type { AgentEvent, AgentStopReason, FinalEvent } from "./events.js";

/** The default bound on model calls per run. */
export const DEFAULT_MAX_STEPS = 8;

/** Options of {@link Agent}. */
export interface AgentOptions {
  /** Names the agent in events and traces (LangSmith run name), e.g. `coder`. */
  name: string;
  /** Any LangChain chat model; one that can `bindTools` when `tools` are given. */
  model: BaseChatModel;
  /** The system prompt, sent first in every model call. */
  systemPrompt?: string;
  /** Tools the model may call. Their names must be unique. */
  tools?: StructuredToolInterface[];
  /**
   * Most model calls per run (1-100). The last one is made without tools, so the
   * run always ends with an answer (`stopReason: "max_steps"`).
   * @default 8
   */
  maxSteps?: number;
}

/** Per-run options: tracing (callbacks, run name, metadata, tags), cancellation, events. */
export interface AgentRunOptions
  extends Pick<RunnableConfig, "callbacks" | "signal" | "metadata" | "tags" | "runName"> {
  /**
   * Called synchronously with each event as it happens, the `final` one last (what
   * {@link Agent.stream} yields). With it, the model's answers stream, so `token` and
   * `reasoning` events arrive piece by piece; without it, `invoke` makes plain model calls
   * (which stream only if the model or a callback asks for it). An error it throws ends the
   * run (after the model call under way).
   */
  onEvent?: (event: AgentEvent) => void;
}

/** What {@link Agent.invoke} resolves to. */
export interface AgentResult {
  /** The final answer's text. */
  text: string;
  /** The conversation without the system prompt: the input, then every model and tool message. */
  messages: BaseMessage[];
  /** How many model calls the run made. */
  steps: number;
  stopReason: AgentStopReason;
}

const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

function checkOptions(options: AgentOptions): void {
  if (typeof options !== "object" || options === null) {
    throw new ValidationError("INVALID_AGENT_OPTIONS", "new Agent takes { name, model, ... }.");
  }
  if (typeof options.name !== "string" || !NAME_PATTERN.test(options.name)) {
    throw new ValidationError(
      "INVALID_AGENT_OPTIONS",
      "Agent name must be 1-64 letters, digits, '_', '.' or '-' (it names traces and events).",
    );
  }
  const model = options.model as Partial<BaseChatModel> | undefined;
  if (typeof model?.stream !== "function") {
    throw new ValidationError(
      "INVALID_AGENT_OPTIONS",
      `Agent "${options.name}": model must be a LangChain chat model (e.g. ChatSageMakerOpenAI).`,
    );
  }
  const max = options.maxSteps;
  if (max !== undefined && !(Number.isInteger(max) && max >= 1 && max <= 100)) {
    throw new ValidationError(
      "INVALID_AGENT_OPTIONS",
      `Agent "${options.name}": maxSteps must be a whole number from 1 to 100.`,
    );
  }
  const tools = options.tools ?? [];
  const names = tools.map((tool) => tool?.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (names.some((name) => typeof name !== "string") || duplicate !== undefined) {
    throw new ValidationError(
      "INVALID_AGENT_OPTIONS",
      `Agent "${options.name}": every tool needs a unique name${duplicate ? ` ("${duplicate}" repeats)` : ""}.`,
    );
  }
  if (tools.length > 0 && typeof model.bindTools !== "function") {
    throw new ValidationError(
      "TOOLS_NOT_SUPPORTED",
      `Agent "${options.name}": this model cannot bind tools; pass a chat model with tool calling.`,
    );
  }
}

/** How a run is described to tracers: what a `RunnableLambda` reports, as the agent's runs always were. */
const AGENT_RUN_SERIALIZED: Serialized = {
  lc: 1,
  type: "not_implemented",
  id: ["langchain_core", "runnables", "RunnableLambda"],
};

/** Rejects with the signal's reason once it aborts (as LangChain's runnables do). */
function aborted(signal: AbortSignal): { promise: Promise<never>; stop(): void } {
  let listener = () => {};
  const promise = new Promise<never>((_, reject) => {
    listener = () => reject(abortError(signal));
    if (signal.aborted) listener();
    else signal.addEventListener("abort", listener, { once: true });
  });
  return { promise, stop: () => signal.removeEventListener("abort", listener) };
}

function abortError(signal: AbortSignal): Error {
  const { reason } = signal;
  if (reason instanceof Error) return reason;
  return new Error(typeof reason === "string" ? reason : "Aborted");
}

/**
 * Runs the loop as one chain run, the agent's, with the model's and the tools' runs under it:
 * what `new RunnableLambda(...).invoke` did, without what a lambda adds per run that the loop
 * does not use (a throwaway LangSmith `RunTree` to carry the config in async-local storage,
 * a second config merge, the lambda's serialization). The loop passes its config explicitly
 * to every model and tool call, so nothing under it needs the config from async-local storage.
 * An aborted signal rejects at once, with its reason, like any LangChain runnable.
 */
async function runAsChain(
  loop: AgentLoop,
  messages: BaseMessage[],
  config: RunnableConfig,
  onEvent: AgentRunOptions["onEvent"],
): Promise<AgentLoopResult> {
  const manager = await getCallbackManagerForConfig(config);
  const runManager = await manager?.handleChainStart(
    AGENT_RUN_SERIALIZED,
    { messages },
    undefined,
    undefined,
    undefined,
    undefined,
    config.runName,
  );
  const { runName: _ownRunOnly, ...inherited } = config;
  const childConfig: RunnableConfig = {
    ...inherited,
    callbacks: runManager?.getChild(),
    recursionLimit: (config.recursionLimit ?? 25) - 1,
  };
  let result: AgentLoopResult;
  const { signal } = config;
  try {
    const running = loop(messages, childConfig, onEvent);
    if (signal === undefined) result = await running;
    else {
      const abort = aborted(signal);
      // After an abort, whatever the loop still throws is noise: the abort is the answer.
      const settled = running.catch((error: unknown) => {
        if (!signal.aborted) throw error;
        return abort.promise;
      });
      try {
        result = await Promise.race([settled, abort.promise]);
      } finally {
        abort.stop();
      }
    }
  } catch (error) {
    await runManager?.handleChainError(error);
    throw error;
  }
  await runManager?.handleChainEnd(result);
  return result;
}

/**
 * An agent: a chat model, a system prompt and tools, run in a bounded tool loop.
 *
 * Each run starts from the input alone (the agent keeps no conversation between
 * runs); pass earlier messages to continue one. A tool that throws, an unknown
 * tool name, or arguments that are not JSON become a tool message with the
 * error text, which the model sees on its next step.
 *
 * @example
 * ```ts
 * const agent = new Agent({
 *   name: "coder",
 *   model: new ChatSageMakerOpenAI({ endpointName: "agents", inferenceComponentName: "coder" }),
 *   systemPrompt: "You are an expert Python developer. Output ONLY the code.",
 *   tools: [calculatorTool],
 * });
 * const { text } = await agent.invoke("Write a function that converts Celsius to Fahrenheit.");
 * for await (const event of agent.stream("...")) if (event.type === "token") process.stdout.write(event.text);
 * ```
 */
export class Agent {
  /** The agent's name, as in events and traces. */
  readonly name: string;
  /** The bound on model calls per run. */
  readonly maxSteps: number;
  /** The names of the tools the agent offers its model. */
  readonly toolNames: readonly string[];
  private readonly _loop: AgentLoop;

  constructor(options: AgentOptions) {
    checkOptions(options);
    this.name = options.name;
    this.maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
    const tools = options.tools ?? [];
    this.toolNames = tools.map((tool) => tool.name);
    this._loop = createAgentLoop({
      name: options.name,
      model: options.model,
      systemPrompt: options.systemPrompt,
      tools,
      maxSteps: this.maxSteps,
    });
  }

  /**
   * Runs the agent on `input` (a prompt, or a conversation) and resolves to its answer.
   * `options.onEvent` sees every event on the way (and makes the model calls stream).
   */
  async invoke(input: string | BaseMessage[], options: AgentRunOptions = {}): Promise<AgentResult> {
    const messages = typeof input === "string" ? [new HumanMessage(input)] : [...input];
    if (messages.length === 0) {
      throw new ValidationError("INVALID_AGENT_INPUT", `Agent "${this.name}" needs a prompt.`);
    }
    const { onEvent } = options;
    const config: RunnableConfig = {
      callbacks: options.callbacks,
      signal: options.signal,
      tags: options.tags,
      metadata: { agent: this.name, ...options.metadata },
      runName: options.runName ?? this.name,
    };
    // Run outside any enclosing graph's context: a tool must not see (or write to) the
    // outer graph's channels, and the run must not be adopted into the outer graph's state.
    const result = await AsyncLocalStorageProviderSingleton.runWithConfig(
      config,
      () => runAsChain(this._loop, messages, config, onEvent),
      true,
    );
    const last = result.messages.at(-1);
    const final: FinalEvent = {
      type: "final",
      agent: this.name,
      text: last?.type === "ai" ? last.text : "",
      messages: result.messages,
      steps: result.steps,
      stopReason: result.stopReason,
    };
    onEvent?.(final);
    return {
      text: final.text,
      messages: final.messages,
      steps: final.steps,
      stopReason: final.stopReason,
    };
  }

  /**
   * Runs the agent and yields its events: `model_start`, `token` and `reasoning`
   * pieces, `tool_call` (complete arguments), `tool_result`, then one `final`.
   * Leaving the loop early stops the run.
   *
   * The run is self-contained even inside another LangGraph graph's node: its
   * events come out of this iterator only (forward them with the node's writer
   * if the outer graph should see them), and it never writes to the outer
   * graph's checkpoints. Tracing still nests under `options.callbacks`.
   */
  async *stream(
    input: string | BaseMessage[],
    options: AgentRunOptions = {},
  ): AsyncGenerator<AgentEvent, void, undefined> {
    const queue = new EventQueue<AgentEvent>();
    const stop = new AbortController();
    const signal =
      options.signal === undefined ? stop.signal : AbortSignal.any([options.signal, stop.signal]);
    const { onEvent } = options;
    const run = this.invoke(input, {
      ...options,
      signal,
      onEvent: (event) => {
        onEvent?.(event);
        queue.push(event);
      },
    }).then(
      () => queue.close(),
      (error: unknown) => queue.fail(error),
    );
    try {
      yield* queue;
    } finally {
      if (!queue.ended) {
        stop.abort();
        await run;
      }
    }
  }
}
