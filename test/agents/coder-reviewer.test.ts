/**
 * The coder/reviewer graph end to end over real HTTP: two inference components
 * of one local endpoint, the verdict loop, the round bound, the verdict
 * fallbacks, the event stream, and resuming a checkpointed thread.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AIMessageChunk } from "@langchain/core/messages";
import { MemorySaver, START, StateGraph } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import { openSqliteDatabase } from "../../agents/checkpoint/sqlite-driver.js";
import { SqliteCheckpointSaver } from "../../agents/checkpoint/sqlite-saver.js";
import { CoderReviewerState } from "../../agents/coder-reviewer/state.js";
import {
  type CoderReviewerEvent,
  createCoderReviewerGraph,
  isCoderReviewerEvent,
} from "../../agents/index.js";
import type { BackendConfig, ChatBackend, LocalEndpoint } from "../../src/local/index.js";
import { TEST_CREDENTIALS } from "../helpers/local-endpoint.js";
import {
  agentsEndpointForTest,
  chatModel,
  componentsHit,
  FROM_FIRST_REVIEW,
  graphOn,
  recordingBackend,
  DEMO_TASK as TASK,
} from "./helpers.js";

/** A reviewer whose structured-output requests the server refuses with a 400, as a server without them would. */
function noStructuredOutput(): ChatBackend {
  const inner = recordingBackend({ type: "demo", script: "reviewer" });
  return {
    async complete(body, context) {
      const named = typeof body.tool_choice === "object" && body.tool_choice !== null;
      if (body.response_format !== undefined || named) {
        return {
          type: "json",
          status: 400,
          body: {
            object: "error",
            message: "response_format is not supported",
            type: "BadRequestError",
            param: null,
            code: 400,
          },
        };
      }
      return inner.complete(body, context);
    },
  };
}

describe("coder/reviewer graph against the demo models", () => {
  it("requests changes in round 1, approves the revision in round 2", async () => {
    const local = await agentsEndpointForTest();
    const result = await graphOn(local).invoke({ task: TASK });
    expect(result).toMatchObject({ task: TASK, approved: true, round: 2, stopReason: "approved" });
    expect(result.code).toContain("def celsius_to_fahrenheit");
    expect(result.code).toContain("raise ValueError");
    expect(result.code).not.toContain("```");
    expect(result.language).toBe("python");
    expect(result.reviews).toHaveLength(2);
    expect(result.reviews[0]).toMatchObject({ round: 1, approved: false, source: "structured" });
    expect(result.reviews[0]?.comments.join(" ")).toMatch(/raise ValueError/);
    expect(result.reviews[1]).toMatchObject({ round: 2, approved: true, source: "structured" });
    // Each agent on its own inference component: coder (calculator, code), reviewer
    // (syntax check, prose, verdict), then the revision and its review.
    expect(componentsHit(local)).toEqual(["coder", "coder", ...FROM_FIRST_REVIEW]);
    const paths = new Set(local.requests.map((entry) => entry.path));
    expect(paths).toEqual(
      new Set([
        "/endpoints/agents/inference-components/coder/openai/v1/chat/completions",
        "/endpoints/agents/inference-components/reviewer/openai/v1/chat/completions",
      ]),
    );
    expect(local.requests.every((entry) => entry.status === 200)).toBe(true);
  });

  it("runs the same loop when both containers write hermes tool calls", async () => {
    const local = await agentsEndpointForTest({
      coder: { type: "demo", script: "coder", toolCalls: "hermes" },
      reviewer: { type: "demo", script: "reviewer", toolCalls: "hermes" },
    });
    const result = await graphOn(local).invoke({ task: TASK });
    expect(result).toMatchObject({ approved: true, round: 2, stopReason: "approved" });
    expect(result.code).toContain("FAHRENHEIT_PER_CELSIUS: float = 1.8");
    expect(result.code).not.toContain("tool_call");
    expect(componentsHit(local)).toHaveLength(9);
  });

  it("stops after maxRounds without approval and says so", async () => {
    const local = await agentsEndpointForTest();
    const result = await graphOn(local, { maxRounds: 1 }).invoke({ task: TASK });
    expect(result).toMatchObject({ approved: false, round: 1, stopReason: "max_rounds" });
    expect(result.reviews).toHaveLength(1);
    expect(componentsHit(local).filter((component) => component === "coder")).toHaveLength(2);
  });

  it("keeps revising until maxRounds when the reviewer never approves", async () => {
    const stubborn: BackendConfig = {
      type: "demo",
      script: {
        name: "stubborn",
        rules: [
          {
            reply: {
              json: { approved: false, comments: ["Rename the function."] },
              text: "CHANGES REQUESTED: Rename the function.",
            },
          },
        ],
      },
    };
    const local = await agentsEndpointForTest({ reviewer: stubborn });
    const result = await graphOn(local, { maxRounds: 3 }).invoke({ task: TASK });
    expect(result).toMatchObject({ approved: false, round: 3, stopReason: "max_rounds" });
    expect(result.reviews.map((review) => review.round)).toEqual([1, 2, 3]);
    expect(result.reviews.every((review) => review.comments[0] === "Rename the function.")).toBe(
      true,
    );
  });

  it("reads the verdict from the reviewer's prose when structured output is refused", async () => {
    const local = await agentsEndpointForTest({ reviewer: noStructuredOutput() });
    const result = await graphOn(local).invoke({ task: TASK });
    expect(result).toMatchObject({ approved: true, round: 2, stopReason: "approved" });
    expect(result.reviews.map((review) => [review.approved, review.source])).toEqual([
      [false, "text"],
      [true, "text"],
    ]);
    expect(result.reviews[0]?.comments[0]).toMatch(/^Validate the input/);
    expect(local.requests.filter((entry) => entry.status === 400)).toHaveLength(2);
  });

  it("streams agent starts, tool calls, code and verdicts tagged with their round", async () => {
    const local = await agentsEndpointForTest();
    const events: CoderReviewerEvent[] = [];
    const stream = await graphOn(local).stream({ task: TASK }, { streamMode: ["custom"] });
    for await (const [, chunk] of stream) if (isCoderReviewerEvent(chunk)) events.push(chunk);
    const outline = events
      .filter((event) => !["token", "reasoning", "model_start"].includes(event.type))
      .map((event) => {
        const name = "name" in event ? `:${event.name}` : "";
        const verdict = event.type === "verdict" ? `:${event.approved}` : "";
        return `${event.round} ${event.agent} ${event.type}${name}${verdict}`;
      });
    expect(outline).toEqual([
      "1 coder agent_start",
      "1 coder tool_call:calculator",
      "1 coder tool_result:calculator",
      "1 coder code",
      "1 reviewer agent_start",
      "1 reviewer tool_call:syntax_check",
      "1 reviewer tool_result:syntax_check",
      "1 reviewer verdict:false",
      "2 coder agent_start",
      "2 coder code",
      "2 reviewer agent_start",
      "2 reviewer tool_call:syntax_check",
      "2 reviewer tool_result:syntax_check",
      "2 reviewer verdict:true",
    ]);
    const check = events.find((event) => event.type === "tool_result" && event.round === 1);
    expect(check).toMatchObject({ agent: "coder", content: "1.8" });
    const syntax = events.find(
      (event) => event.type === "tool_result" && event.name === "syntax_check",
    );
    expect(syntax).toMatchObject({ content: "OK: no syntax errors", isError: false });
    expect(events.some((event) => event.type === "token" && event.agent === "reviewer")).toBe(true);
  });

  it("rejects bad options and inputs with typed errors", async () => {
    const local = await agentsEndpointForTest();
    expect(() => graphOn(local as LocalEndpoint, { maxRounds: 0 })).toThrow(
      expect.objectContaining({ code: "INVALID_MAX_ROUNDS" }),
    );
    expect(() =>
      createCoderReviewerGraph({
        coder: {} as never,
        reviewer: chatModel(local as LocalEndpoint, "reviewer"),
      }),
    ).toThrow(expect.objectContaining({ code: "INVALID_GRAPH_OPTIONS" }));
    await expect(graphOn(local).invoke({ task: "  " })).rejects.toMatchObject({
      code: "INVALID_TASK",
    });
    expect(local.requests).toHaveLength(0);
  });
});

/** The demo coder and reviewer writing their tool calls the given way, each request body recorded. */
function recordedComponents(toolCalls: "native" | "hermes" = "native") {
  return {
    coder: recordingBackend({ type: "demo", script: "coder", toolCalls }),
    reviewer: recordingBackend({ type: "demo", script: "reviewer", toolCalls }),
  };
}

/** Whether each request the endpoint served was answered as an event stream, in order. */
function streamedAnswers(local: LocalEndpoint): boolean[] {
  return local.requests.map((entry) => entry.stream);
}

/** Whether each request body asked for a stream (`stream: true`). */
function streamRequested(components: ReturnType<typeof recordedComponents>): boolean[] {
  return [...components.coder.bodies, ...components.reviewer.bodies].map(
    (body) => body.stream === true,
  );
}

/** A run's model calls: the agents' turns (2 coder, 3 reviewer with the verdict, twice). */
const MODEL_CALLS = 9;
/** Which of the run's requests stream when the caller reads the custom stream: not the verdicts. */
const STREAMED_FOR_CUSTOM = [true, true, true, true, false, true, true, true, false];

describe("model calls stream only when someone reads the tokens", () => {
  it.each(["native", "hermes"] as const)(
    "invoke sends only non-streaming requests (%s tool calls) and ends as a streamed run does",
    async (toolCalls) => {
      const streamedOn = await agentsEndpointForTest(recordedComponents(toolCalls));
      let streamed: unknown;
      const stream = await graphOn(streamedOn).stream(
        { task: TASK },
        { streamMode: ["custom", "values"] },
      );
      for await (const [mode, chunk] of stream) if (mode === "values") streamed = chunk;
      expect(streamedAnswers(streamedOn)).toEqual(STREAMED_FOR_CUSTOM);

      const components = recordedComponents(toolCalls);
      const local = await agentsEndpointForTest(components);
      const result = await graphOn(local).invoke({ task: TASK });
      expect(streamRequested(components)).toEqual(Array(MODEL_CALLS).fill(false));
      expect(streamedAnswers(local)).toEqual(Array(MODEL_CALLS).fill(false));
      expect(result).toMatchObject({ approved: true, round: 2, stopReason: "approved" });
      expect(result).toEqual(streamed);
    },
  );

  it("streams no model call for the values and updates modes, nor with the graph's default mode", async () => {
    const local = await agentsEndpointForTest();
    const graph = graphOn(local);
    const modes: string[] = [];
    for await (const [mode] of await graph.stream(
      { task: TASK },
      { streamMode: ["values", "updates"] },
    )) {
      modes.push(mode);
    }
    expect(new Set(modes)).toEqual(new Set(["values", "updates"]));
    // The graph's default mode (LangGraph's "updates" for a state graph).
    let last: unknown;
    for await (const chunk of await graph.stream({ task: TASK })) last = chunk;
    expect(last).toMatchObject({ reviewer: { approved: true, stopReason: "approved" } });
    expect(streamedAnswers(local)).toEqual(Array(2 * MODEL_CALLS).fill(false));
  });

  it("makes plain calls too from a withConfig copy and with a checkpointer", async () => {
    const local = await agentsEndpointForTest();
    const copy = graphOn(local).withConfig({ recursionLimit: 50 });
    expect(await copy.invoke({ task: TASK })).toMatchObject({ approved: true });
    const saved = graphOn(local, { checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: randomUUID() } };
    expect(await saved.invoke({ task: TASK }, config)).toMatchObject({ approved: true });
    expect(streamedAnswers(local)).toEqual(Array(2 * MODEL_CALLS).fill(false));
  });

  it("leaves a model built with streaming: true streaming under invoke", async () => {
    const local = await agentsEndpointForTest();
    const graph = createCoderReviewerGraph({
      coder: chatModel(local, "coder", { streaming: true }),
      reviewer: chatModel(local, "reviewer"),
    });
    expect(await graph.invoke({ task: TASK })).toMatchObject({ approved: true });
    expect(local.requests.map((entry) => [entry.component, entry.stream])).toEqual(
      componentsHit(local).map((component) => [component, component === "coder"]),
    );
  });

  it("keeps streaming tokens when it runs as a node of a graph whose caller reads custom events", async () => {
    const local = await agentsEndpointForTest();
    const parent = new StateGraph(CoderReviewerState)
      .addNode("review", graphOn(local))
      .addEdge(START, "review")
      .compile();
    let tokens = 0;
    for await (const chunk of await parent.stream({ task: TASK }, { streamMode: "custom" })) {
      if (isCoderReviewerEvent(chunk) && chunk.type === "token") tokens += 1;
    }
    expect(tokens).toBeGreaterThan(MODEL_CALLS * 10);
    expect(streamedAnswers(local)).toEqual(STREAMED_FOR_CUSTOM);
  });

  it("streams the agents' model calls for the custom mode, tokens in order", async () => {
    const components = recordedComponents();
    const local = await agentsEndpointForTest(components);
    const events: CoderReviewerEvent[] = [];
    let final: { code?: string } = {};
    const stream = await graphOn(local).stream(
      { task: TASK },
      { streamMode: ["custom", "values"] },
    );
    for await (const [mode, chunk] of stream) {
      if (mode === "values") final = chunk;
      else if (isCoderReviewerEvent(chunk)) events.push(chunk);
    }
    expect(streamedAnswers(local)).toEqual(STREAMED_FOR_CUSTOM);
    expect(streamRequested(components).filter(Boolean)).toHaveLength(7);
    const tokens = events.filter(
      (event) => event.type === "token" && event.agent === "coder" && event.round === 2,
    );
    // One event per streamed piece, and together they are the coder's answer.
    expect(tokens.length).toBeGreaterThan(10);
    const text = tokens.map((event) => (event.type === "token" ? event.text : "")).join("");
    expect(text).toContain(final.code);
  });

  it("still streams message chunks token by token in the messages mode", async () => {
    const local = await agentsEndpointForTest();
    const pieces = new Map<string, string[]>();
    const stream = await graphOn(local).stream({ task: TASK }, { streamMode: "messages" });
    for await (const [message, metadata] of stream) {
      // The agents' finished messages come too (LangGraph reads them from the turn's output).
      if (!AIMessageChunk.isInstance(message)) continue;
      if (metadata.agent !== "coder" || metadata.round !== 2) continue;
      const id = String(message.id);
      pieces.set(id, [...(pieces.get(id) ?? []), message.text]);
    }
    // Round 2's coder made one call: its answer came in many chunks.
    expect(pieces.size).toBe(1);
    const [chunks = []] = pieces.values();
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.join("")).toContain("def celsius_to_fahrenheit");
    // LangChain streamed every model call for the messages mode.
    expect(streamedAnswers(local)).toEqual(Array(MODEL_CALLS).fill(true));
  });

  it("still gives streamEvents its on_chat_model_stream events", async () => {
    const local = await agentsEndpointForTest();
    let modelChunks = 0;
    let end: unknown;
    for await (const event of graphOn(local).streamEvents({ task: TASK }, { version: "v2" })) {
      if (event.event === "on_chat_model_stream") modelChunks += 1;
      if (event.event === "on_chain_end" && event.name === "coder-reviewer")
        end = event.data.output;
    }
    expect(modelChunks).toBeGreaterThan(MODEL_CALLS * 10);
    expect(end).toMatchObject({ approved: true, stopReason: "approved" });
    expect(streamedAnswers(local)).toEqual(Array(MODEL_CALLS).fill(true));
  });
});

describe("checkpointed threads", () => {
  async function failInReview(
    endpoint: LocalEndpoint,
    checkpointer: MemorySaver | SqliteCheckpointSaver,
  ) {
    const graph = graphOn(endpoint, { checkpointer });
    const config = { configurable: { thread_id: randomUUID() } };
    endpoint.injectFault({
      endpoint: "agents",
      component: "reviewer",
      status: 503,
      count: "always",
    });
    await expect(graph.invoke({ task: TASK }, config)).rejects.toThrow();
    const stopped = await graph.getState(config);
    expect(stopped.next).toEqual(["reviewer"]);
    expect(stopped.values).toMatchObject({ round: 1, approved: false, stopReason: null });
    const before = endpoint.requests.length;
    endpoint.clearFaults();
    const result = await graph.invoke(null, config);
    return { result, resumed: endpoint.requests.slice(before) };
  }

  it("resumes from the last finished step (in-memory saver): the coder is not asked again", async () => {
    const local = await agentsEndpointForTest();
    const { result, resumed } = await failInReview(local, new MemorySaver());
    expect(result).toMatchObject({ approved: true, round: 2, stopReason: "approved" });
    expect(componentsHit(local).slice(0, 3)).toEqual(["coder", "coder", "reviewer"]);
    // After the resume: round 1's review, then round 2 (one coder call, no calculator).
    expect(resumed.map((entry) => entry.component)).toEqual([...FROM_FIRST_REVIEW]);
  });

  it("resumes from an SQLite file that holds no token or secret key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "coder-reviewer-"));
    const file = join(dir, "state.sqlite");
    const saver = new SqliteCheckpointSaver(openSqliteDatabase(file));
    try {
      const local = await agentsEndpointForTest();
      const { result } = await failInReview(local, saver);
      expect(result).toMatchObject({ approved: true, stopReason: "approved" });
      // Every byte SQLite wrote: the database and any write-ahead log beside it.
      const bytes = readdirSync(dir)
        .map((name) => readFileSync(join(dir, name)).toString("latin1"))
        .join("\n");
      expect(bytes).toContain("celsius_to_fahrenheit");
      expect(bytes).not.toContain("sagemaker-api-key-");
      expect(bytes).not.toContain(TEST_CREDENTIALS.secretAccessKey);
      expect(bytes).not.toContain(TEST_CREDENTIALS.accessKeyId);
    } finally {
      saver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps the agents' inner loops out of the checkpoints", async () => {
    const local = await agentsEndpointForTest();
    const saver = new MemorySaver();
    const graph = graphOn(local, { checkpointer: saver });
    const config = { configurable: { thread_id: "one" } };
    await graph.invoke({ task: TASK }, config);
    const namespaces = new Set<string>();
    for await (const tuple of saver.list(config)) {
      namespaces.add(String(tuple.config.configurable?.checkpoint_ns ?? ""));
    }
    expect(namespaces).toEqual(new Set([""]));
  });
});
