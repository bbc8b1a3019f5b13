/**
 * The Strands-style Agent over real HTTP against the local endpoint's demo
 * models: the tool loop, its events, its bound, and what the model sees when a
 * tool fails, does not exist, or gets unreadable arguments.
 */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { Serialized } from "@langchain/core/load/serializable";
import { HumanMessage, type ToolMessage } from "@langchain/core/messages";
import { type StructuredToolInterface, tool } from "@langchain/core/tools";
import type { ChainValues } from "@langchain/core/utils/types";
import { describe, expect, it, onTestFinished } from "vitest";
import { z } from "zod";
import { Agent } from "../../agents/index.js";
import { SageMakerOpenAIError } from "../../src/errors.js";
import type { BackendConfig, ChatBackend, LocalEndpoint } from "../../src/local/index.js";
import { calculatorTool } from "../../tools/index.js";
import {
  agentsEndpointForTest,
  chatModel,
  componentsHit,
  recordingBackend,
  DEMO_TASK as TASK,
} from "./helpers.js";

const CODER_PROMPT = "You are an expert Python developer. Output ONLY the code.";

/** The coder agent with the calculator, on `endpoint`'s `coder` component. */
function coderAgent(endpoint: LocalEndpoint): Agent {
  return new Agent({
    name: "coder",
    model: chatModel(endpoint, "coder"),
    systemPrompt: CODER_PROMPT,
    tools: [calculatorTool],
  });
}

/** Every event `agent` streams for TASK. */
async function streamedEvents(agent: Agent) {
  const events = [];
  for await (const event of agent.stream(TASK)) events.push(event);
  return events;
}

const explodingTool = tool(
  async (): Promise<string> => {
    throw new Error("kaboom: the disk is on fire");
  },
  {
    name: "explode",
    description: "Always fails.",
    schema: z.object({ input: z.string() }),
  },
);

/**
 * A backend whose first answer is a native tool call with unparsable arguments, then text;
 * streamed or not, as the request asks, like a real server.
 */
function malformedArgumentsBackend(): ChatBackend & { bodies: unknown[] } {
  const bodies: unknown[] = [];
  const completion = (choice: Record<string, unknown>, streamed: boolean) => ({
    id: "chatcmpl-1",
    object: streamed ? "chat.completion.chunk" : "chat.completion",
    created: 1_700_000_000,
    model: "scripted",
    choices: [{ index: 0, logprobs: null, ...choice }],
  });
  const event = (delta: Record<string, unknown>, finish: string | null): string =>
    `data: ${JSON.stringify(completion({ delta, finish_reason: finish }, true))}\n\n`;
  const brokenCall = {
    index: 0,
    id: "call_broken",
    type: "function",
    function: { name: "calculator", arguments: '{"expression": "1 +' },
  };
  return {
    bodies,
    async complete(body) {
      bodies.push(structuredClone(body));
      const last = body.messages.at(-1);
      const answer =
        last?.role === "tool"
          ? { content: `Noted: ${String(last.content)}`, finish: "stop" }
          : { toolCalls: [brokenCall], finish: "tool_calls" };
      if (body.stream !== true) {
        const message = {
          role: "assistant",
          content: answer.content ?? null,
          ...(answer.toolCalls === undefined
            ? {}
            : { tool_calls: answer.toolCalls.map(({ index: _index, ...call }) => call) }),
        };
        return {
          type: "json",
          status: 200,
          body: completion({ message, finish_reason: answer.finish }, false),
        };
      }
      const events = [
        event({ role: "assistant", content: "" }, null),
        event(
          answer.toolCalls === undefined
            ? { content: answer.content }
            : { tool_calls: answer.toolCalls },
          null,
        ),
        event({}, answer.finish),
      ];
      async function* stream(): AsyncGenerator<string> {
        yield* events;
        yield "data: [DONE]\n\n";
      }
      return { type: "stream", status: 200, body: stream() };
    },
  };
}

describe("Agent against the demo coder", () => {
  it("calls the calculator, then answers with code using its result", async () => {
    const local = await agentsEndpointForTest();
    const result = await coderAgent(local).invoke(TASK);
    expect(result.stopReason).toBe("final");
    expect(result.steps).toBe(2);
    expect(result.text).toContain("def celsius_to_fahrenheit");
    expect(result.text).toContain("FAHRENHEIT_PER_CELSIUS: float = 1.8");
    expect(result.messages.map((message) => message.type)).toEqual(["human", "ai", "tool", "ai"]);
    const toolMessage = result.messages[2] as ToolMessage;
    expect(toolMessage.content).toBe("1.8");
    expect(componentsHit(local)).toEqual(["coder", "coder"]);
  });

  it("streams model starts, tokens, the tool call with its arguments, its result and the answer", async () => {
    const local = await agentsEndpointForTest();
    const events = await streamedEvents(coderAgent(local));
    const kinds = events.map((event) => event.type).filter((type) => type !== "token");
    expect(kinds).toEqual(["model_start", "tool_call", "tool_result", "model_start", "final"]);
    const call = events.find((event) => event.type === "tool_call");
    expect(call).toMatchObject({ agent: "coder", step: 1, name: "calculator" });
    expect(call?.type === "tool_call" && call.args).toEqual({ expression: "9 / 5" });
    const result = events.find((event) => event.type === "tool_result");
    expect(result).toMatchObject({ name: "calculator", content: "1.8", isError: false });
    expect(result?.type === "tool_result" && call?.type === "tool_call" && result.id).toBe(
      call?.type === "tool_call" ? call.id : "",
    );
    const tokens = events.filter((event) => event.type === "token" && event.step === 2);
    expect(tokens.length).toBeGreaterThan(1);
    const final = events.at(-1);
    expect(final?.type).toBe("final");
    expect(tokens.map((event) => (event.type === "token" ? event.text : "")).join("")).toBe(
      final?.type === "final" ? final.text : "",
    );
  });

  it("reads tool calls a container writes as hermes <tool_call> text", async () => {
    const local = await agentsEndpointForTest({
      coder: { type: "demo", script: "coder", toolCalls: "hermes" },
    });
    const events = await streamedEvents(coderAgent(local));
    const call = events.find((event) => event.type === "tool_call");
    expect(call).toMatchObject({ name: "calculator", args: { expression: "9 / 5" } });
    const final = events.at(-1);
    expect(final?.type === "final" && final.text).toContain("FAHRENHEIT_PER_CELSIUS: float = 1.8");
    // No tag text leaked into the streamed tokens.
    const text = events.map((event) => (event.type === "token" ? event.text : "")).join("");
    expect(text).not.toContain("<tool_call>");
  });

  it("streams the model's reasoning separately from its answer", async () => {
    const local = await agentsEndpointForTest({
      coder: { type: "demo", script: "coder", reasoning: true },
    });
    const events = await streamedEvents(
      new Agent({ name: "coder", model: chatModel(local, "coder") }),
    );
    const reasoning = events
      .map((event) => (event.type === "reasoning" ? event.text : ""))
      .join("");
    expect(reasoning.length).toBeGreaterThan(0);
    const final = events.at(-1);
    expect(final?.type === "final" && final.text).not.toContain(reasoning.trim());
    expect(final?.type === "final" && final.text).toContain("def celsius_to_fahrenheit");
  });

  it("continues a conversation passed as messages", async () => {
    const local = await agentsEndpointForTest();
    const agent = new Agent({ name: "coder", model: chatModel(local, "coder") });
    const result = await agent.invoke([new HumanMessage(TASK)]);
    // No tools: the demo writes the first version straight away.
    expect(result.steps).toBe(1);
    expect(result.text).toContain("def celsius_to_fahrenheit");
  });
});

describe("Agent events", () => {
  it("invoke with onEvent sees exactly what stream yields, and streams only then", async () => {
    const backend = recordingBackend({ type: "demo", script: "coder" });
    const local = await agentsEndpointForTest({ coder: backend });
    const agent = coderAgent(local);
    const streamed = await streamedEvents(agent);
    const seen: unknown[] = [];
    const result = await agent.invoke(TASK, { onEvent: (event) => seen.push(event) });
    // The same events in the same order; tool call ids are random per request, as in vLLM.
    const sameIds = (events: unknown[]) =>
      JSON.parse(JSON.stringify(events).replace(/chatcmpl-tool-[0-9a-f]+/g, "ID"));
    expect(sameIds(seen)).toEqual(sameIds(streamed));
    expect(seen.at(-1)).toEqual({ type: "final", agent: "coder", ...result });
    const plain = await agent.invoke(TASK);
    expect(plain.text).toBe(result.text);
    // Two streamed runs, then a plain one: the model streams only when someone listens.
    expect(backend.bodies.map((body) => body.stream === true)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it("stops the run when the reader leaves the stream early", async () => {
    const calls: string[] = [];
    const recordingCalculator = tool(
      async ({ expression }: { expression: string }): Promise<string> => {
        calls.push(expression);
        return "1.8";
      },
      {
        name: "calculator",
        description: "Arithmetic.",
        schema: z.object({ expression: z.string() }),
      },
    );
    const local = await agentsEndpointForTest();
    const agent = new Agent({
      name: "coder",
      model: chatModel(local, "coder"),
      tools: [recordingCalculator],
    });
    for await (const event of agent.stream(TASK)) {
      if (event.type === "model_start") break;
    }
    // Leaving the loop waits for the run to stop: it never reached the tool or a second call.
    expect(calls).toEqual([]);
    expect(componentsHit(local).length).toBeLessThanOrEqual(1);
  });

  it("ends the run with the error an onEvent callback throws", async () => {
    const local = await agentsEndpointForTest();
    const agent = new Agent({ name: "coder", model: chatModel(local, "coder") });
    const failing = agent.invoke(TASK, {
      onEvent: (event) => {
        if (event.type === "token") throw new Error("the display went away");
      },
    });
    await expect(failing).rejects.toThrow("the display went away");
  });
});

describe("Agent loop bound", () => {
  it("makes the last allowed call without tools and says it stopped at max_steps", async () => {
    const backend = recordingBackend({
      type: "demo",
      script: {
        name: "looper",
        rules: [
          { when: { toolOffered: "calc" }, reply: { tool: "calc", args: { expression: "1 + 1" } } },
          { reply: { text: "Out of tool budget, so here is my answer." } },
        ],
      },
    });
    const local = await agentsEndpointForTest({ coder: backend });
    const agent = new Agent({
      name: "looper",
      model: chatModel(local, "coder"),
      tools: [calculatorTool],
      maxSteps: 3,
    });
    const result = await agent.invoke("Add numbers forever.");
    expect(result.stopReason).toBe("max_steps");
    expect(result.steps).toBe(3);
    expect(result.text).toBe("Out of tool budget, so here is my answer.");
    expect(backend.bodies.map((body) => body.tools?.length ?? 0)).toEqual([1, 1, 0]);
    expect(result.messages.filter((message) => message.type === "tool")).toHaveLength(2);
  });

  it("with maxSteps 1 answers at once without offering tools", async () => {
    const backend = recordingBackend({ type: "demo", script: "coder" });
    const local = await agentsEndpointForTest({ coder: backend });
    const agent = new Agent({
      name: "coder",
      model: chatModel(local, "coder"),
      tools: [calculatorTool],
      maxSteps: 1,
    });
    const result = await agent.invoke(TASK);
    expect(result).toMatchObject({ steps: 1, stopReason: "max_steps" });
    expect(result.text).toContain("def celsius_to_fahrenheit");
    expect(backend.bodies).toHaveLength(1);
    expect(backend.bodies[0]?.tools).toBeUndefined();
  });
});

describe("Agent tool errors reach the model as tool messages", () => {
  const echoToolResult = (tool: string): BackendConfig => ({
    type: "demo",
    script: {
      name: `call-${tool}`,
      rules: [
        { when: { lastRole: "user" as const }, reply: { tool, args: { input: "x" } } },
        { when: { lastRole: "tool" as const }, reply: { text: "The tool said: {{tool_result}}" } },
      ],
    },
  });

  it("a tool that throws", async () => {
    const backend = recordingBackend(echoToolResult("explode"));
    const local = await agentsEndpointForTest({ coder: backend });
    const agent = new Agent({
      name: "coder",
      model: chatModel(local, "coder"),
      tools: [explodingTool],
    });
    const result = await agent.invoke("Use the tool.");
    const toolMessage = result.messages.find((message) => message.type === "tool") as ToolMessage;
    expect(toolMessage.status).toBe("error");
    expect(toolMessage.content).toContain("kaboom: the disk is on fire");
    // The model saw the error text and answered with it.
    expect(result.text).toContain("kaboom: the disk is on fire");
    const sent = backend.bodies[1]?.messages.at(-1);
    expect(sent).toMatchObject({ role: "tool" });
    expect(JSON.stringify(sent)).toContain("kaboom");
  });

  it("a tool name the agent does not have", async () => {
    // The model is offered an extra tool the agent does not know, and calls it.
    const backend = recordingBackend(echoToolResult("teleport"), (body) => ({
      ...body,
      tools: [
        ...(body.tools ?? []),
        {
          type: "function",
          function: {
            name: "teleport",
            parameters: { type: "object", properties: { input: { type: "string" } } },
          },
        },
      ],
    }));
    const local = await agentsEndpointForTest({ coder: backend });
    const agent = new Agent({
      name: "coder",
      model: chatModel(local, "coder"),
      tools: [calculatorTool],
    });
    const events = [];
    for await (const event of agent.stream("Go to Mars.")) events.push(event);
    const result = events.find((event) => event.type === "tool_result");
    expect(result).toMatchObject({ name: "teleport", isError: true });
    expect(result?.type === "tool_result" && result.content).toContain(
      'there is no tool named "teleport". Available tools: calculator.',
    );
    const final = events.at(-1);
    expect(final?.type === "final" && final.text).toContain("no tool named");
  });

  it.each([
    ["a plain call (invoke)", false],
    ["a streamed call (onEvent)", true],
  ])("tool arguments that are not JSON, in %s", async (_label, streamed) => {
    const backend = malformedArgumentsBackend();
    const local = await agentsEndpointForTest({ coder: backend });
    const agent = new Agent({
      name: "coder",
      model: chatModel(local, "coder"),
      tools: [calculatorTool],
    });
    const result = await agent.invoke(
      "Compute something.",
      streamed ? { onEvent: () => undefined } : {},
    );
    expect(backend.bodies.map((body) => (body as { stream?: boolean }).stream === true)).toEqual([
      streamed,
      streamed,
    ]);
    expect(result.text).toMatch(
      /^Noted: Error: the arguments of this "calculator" tool call are not valid JSON/,
    );
    // The conversation sent back pairs the broken call with its error message.
    const second = backend.bodies[1] as { messages: Array<Record<string, unknown>> };
    const assistant = second.messages.find((message) => message.role === "assistant");
    expect(assistant?.tool_calls).toEqual([
      { id: "call_broken", type: "function", function: { name: "calculator", arguments: "{}" } },
    ]);
    expect(second.messages.at(-1)).toMatchObject({ role: "tool", tool_call_id: "call_broken" });
  });
});

describe("Agent options", () => {
  it("rejects bad options with typed errors", async () => {
    const local = await agentsEndpointForTest();
    const model = chatModel(local, "coder");
    const codeOf = (make: () => unknown): string | undefined => {
      try {
        make();
      } catch (error) {
        return error instanceof SageMakerOpenAIError ? error.code : "untyped";
      }
      return undefined;
    };
    expect(codeOf(() => new Agent({ name: "bad name!", model }))).toBe("INVALID_AGENT_OPTIONS");
    expect(codeOf(() => new Agent({ name: "a", model, maxSteps: 0 }))).toBe(
      "INVALID_AGENT_OPTIONS",
    );
    expect(
      codeOf(() => new Agent({ name: "a", model, tools: [calculatorTool, calculatorTool] })),
    ).toBe("INVALID_AGENT_OPTIONS");
    const noTools = { stream: model.stream.bind(model) } as unknown as typeof model;
    expect(codeOf(() => new Agent({ name: "a", model: noTools, tools: [calculatorTool] }))).toBe(
      "TOOLS_NOT_SUPPORTED",
    );
    expect(codeOf(() => new Agent({ name: "a", model: {} as typeof model }))).toBe(
      "INVALID_AGENT_OPTIONS",
    );
    await expect(new Agent({ name: "a", model }).invoke([])).rejects.toMatchObject({
      code: "INVALID_AGENT_INPUT",
    });
  });

  it("stops when its signal is aborted", async () => {
    const local = await agentsEndpointForTest();
    local.injectFault({ endpoint: "agents", component: "coder", latencyMs: 30_000 });
    const agent = new Agent({ name: "coder", model: chatModel(local, "coder") });
    const controller = new AbortController();
    const run = agent.invoke(TASK, { signal: controller.signal });
    controller.abort();
    await expect(run).rejects.toThrow(/abort/i);
  });
});

/** Records the runs callbacks see: chain, chat model and tool starts, ends and errors. */
class RunRecorder extends BaseCallbackHandler {
  name = "run-recorder";
  readonly starts: Array<{
    kind: "chain" | "model" | "tool";
    runId: string;
    parentRunId?: string;
    name?: string;
    tags?: string[];
    metadata?: Record<string, unknown>;
    inputs?: unknown;
  }> = [];
  readonly ends = new Map<string, unknown>();
  readonly errors = new Map<string, unknown>();

  // In the order CallbackManager passes them (its typings name the 4th and 7th-8th otherwise).
  override handleChainStart(
    _chain: Serialized,
    inputs: ChainValues,
    runId: string,
    parentRunId?: string,
    tags?: string[],
    metadata?: Record<string, unknown>,
    _runType?: string,
    runName?: string,
  ): void {
    this.starts.push({ kind: "chain", runId, parentRunId, name: runName, tags, metadata, inputs });
  }

  override handleChatModelStart(
    _llm: Serialized,
    _messages: unknown,
    runId: string,
    parentRunId?: string,
  ): void {
    this.starts.push({ kind: "model", runId, parentRunId });
  }

  override handleToolStart(
    _tool: Serialized,
    _input: string,
    runId: string,
    parentRunId?: string,
    _tags?: string[],
    _metadata?: Record<string, unknown>,
    runName?: string,
  ): void {
    this.starts.push({ kind: "tool", runId, parentRunId, name: runName });
  }

  override handleChainEnd(outputs: ChainValues, runId: string): void {
    this.ends.set(runId, outputs);
  }

  override handleChainError(error: unknown, runId: string): void {
    this.errors.set(runId, error);
  }
}

describe("Agent runs as one traced chain run", () => {
  it("names the run, carries its tags and metadata, and holds the model's and the tool's runs", async () => {
    const local = await agentsEndpointForTest();
    const recorder = new RunRecorder();
    const result = await coderAgent(local).invoke(TASK, {
      callbacks: [recorder],
      tags: ["turn:1"],
      metadata: { round: 1 },
      runName: "coder-turn",
      onEvent: () => {},
    });
    const chains = recorder.starts.filter((run) => run.kind === "chain");
    expect(chains).toHaveLength(1);
    const chain = chains[0];
    expect(chain).toMatchObject({
      name: "coder-turn",
      tags: ["turn:1"],
      metadata: { agent: "coder", round: 1 },
    });
    const inputs = chain?.inputs as { messages: HumanMessage[] } | undefined;
    expect(inputs?.messages[0]?.text).toBe(TASK);
    // Two model calls and the calculator, each a run under the agent's.
    const children = recorder.starts.filter((run) => run.kind !== "chain");
    expect(children.map((run) => run.kind)).toEqual(["model", "tool", "model"]);
    for (const run of children) expect(run.parentRunId).toBe(chain?.runId);
    expect(recorder.ends.get(chain?.runId ?? "")).toMatchObject({
      steps: result.steps,
      stopReason: "final",
    });
    expect(recorder.errors.size).toBe(0);
  });

  it("reports the error that ends a run on the agent's run", async () => {
    const local = await agentsEndpointForTest();
    const recorder = new RunRecorder();
    const failing = coderAgent(local).invoke(TASK, {
      callbacks: [recorder],
      onEvent: (event) => {
        if (event.type === "tool_call") throw new Error("the display went away");
      },
    });
    await expect(failing).rejects.toThrow("the display went away");
    const chain = recorder.starts.find((run) => run.kind === "chain");
    expect(String(recorder.errors.get(chain?.runId ?? ""))).toContain("the display went away");
    expect(recorder.ends.has(chain?.runId ?? "")).toBe(false);
  });

  it("rejects with the abort reason at once, while a tool that ignores the signal still runs", async () => {
    let started: () => void = () => {};
    const toolStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    let finish: (value: string) => void = () => {};
    // A hand-written tool (not a LangChain StructuredTool, which would race the signal
    // itself): only the agent's run can give up on it.
    const stuck = {
      name: "stuck",
      description: "Never answers.",
      schema: z.object({ input: z.string() }),
      invoke(): Promise<string> {
        started();
        return new Promise<string>((resolve) => {
          finish = resolve;
        });
      },
    } as unknown as StructuredToolInterface;
    onTestFinished(() => finish("released"));
    const local = await agentsEndpointForTest({
      coder: {
        type: "demo",
        script: {
          name: "call-stuck",
          rules: [
            { when: { lastRole: "user" as const }, reply: { tool: "stuck", args: { input: "x" } } },
          ],
        },
      },
    });
    const agent = new Agent({ name: "coder", model: chatModel(local, "coder"), tools: [stuck] });
    const controller = new AbortController();
    const run = agent.invoke("Use the tool.", { signal: controller.signal });
    await toolStarted;
    controller.abort(new Error("the user left"));
    await expect(run).rejects.toThrow("the user left");
  });
});
