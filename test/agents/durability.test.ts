/**
 * Crash consistency of the coder/reviewer graph, in process, over real HTTP
 * to the local endpoint: with a checkpointer, each finished step is saved
 * before the next step's first model call (LangGraph's "sync" durability, the
 * graph's default; a caller can still ask for "async"); and a thread left with
 * nothing scheduled but no `stopReason` is continued, not taken as finished.
 */
import { randomUUID } from "node:crypto";
import type { RunnableConfig } from "@langchain/core/runnables";
import { MemorySaver } from "@langchain/langgraph";
import { type Checkpoint, type CheckpointMetadata, uuid6 } from "@langchain/langgraph-checkpoint";
import { describe, expect, it } from "vitest";
import { resumePoint } from "../../agents/cli/resume-point.js";
import type { ChatBackend } from "../../src/local/index.js";
import {
  agentsEndpointForTest,
  componentsHit,
  graphOn,
  recordingBackend,
  DEMO_TASK as TASK,
} from "./helpers.js";

/**
 * A MemorySaver that holds back the checkpoint of the coder's step until the
 * reviewer's first request arrives or `patienceMs` pass, and logs both: under
 * "sync" durability the reviewer cannot start before that checkpoint is saved.
 */
class HeldSaver extends MemorySaver {
  readonly events: string[] = [];
  private reviewerArrived: () => void = () => {};
  private readonly arrival = new Promise<void>((resolve) => {
    this.reviewerArrived = resolve;
  });

  constructor(private readonly patienceMs: number) {
    super();
  }

  reviewerRequest(): void {
    this.events.push("reviewer request");
    this.reviewerArrived();
  }

  override async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
  ): Promise<RunnableConfig> {
    const coderStep = metadata.source === "loop" && metadata.step === 1;
    if (coderStep) {
      let timer: NodeJS.Timeout | undefined;
      const patience = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.patienceMs);
      });
      await Promise.race([this.arrival, patience]);
      clearTimeout(timer);
    }
    const saved = await super.put(config, checkpoint, metadata);
    if (coderStep) this.events.push("coder step saved");
    return saved;
  }
}

function loggingReviewer(saver: HeldSaver): ChatBackend {
  const demo = recordingBackend({ type: "demo", script: "reviewer" });
  return {
    complete(body, context) {
      if (!saver.events.includes("reviewer request")) saver.reviewerRequest();
      return demo.complete(body, context);
    },
  };
}

describe("checkpoint durability", () => {
  it('saves the coder\'s step before the reviewer starts ("sync" by default with a checkpointer)', async () => {
    const saver = new HeldSaver(400);
    const local = await agentsEndpointForTest({ reviewer: loggingReviewer(saver) });
    const graph = graphOn(local, { checkpointer: saver });
    const result = await graph.invoke(
      { task: TASK },
      { configurable: { thread_id: randomUUID() } },
    );
    expect(result.stopReason).toBe("approved");
    expect(saver.events).toEqual(["coder step saved", "reviewer request"]);
  });

  it('lets a caller choose "async": then the reviewer starts while the coder\'s step is still being saved', async () => {
    const saver = new HeldSaver(10_000);
    const local = await agentsEndpointForTest({ reviewer: loggingReviewer(saver) });
    const graph = graphOn(local, { checkpointer: saver });
    await graph.invoke(
      { task: TASK },
      { configurable: { thread_id: randomUUID() }, durability: "async" },
    );
    expect(saver.events).toEqual(["reviewer request", "coder step saved"]);
  });

  it("continues a thread saved with nothing scheduled and no stopReason instead of calling it finished", async () => {
    const local = await agentsEndpointForTest();
    const saver = new MemorySaver();
    const graph = graphOn(local, { checkpointer: saver });
    const config = { configurable: { thread_id: randomUUID() } };
    local.injectFault({ endpoint: "agents", component: "reviewer", status: 503, count: "always" });
    await expect(graph.invoke({ task: TASK }, config)).rejects.toThrow();
    local.clearFaults();
    // What a process that saved without "sync" can leave: round 1's code, every node marked as
    // having seen every channel, so LangGraph schedules nothing.
    const latest = await saver.getTuple(config);
    if (latest === undefined) throw new Error("no checkpoint");
    const seenAll = Object.fromEntries(
      ["__start__", "coder", "reviewer"].map((node) => [
        node,
        { ...latest.checkpoint.channel_versions },
      ]),
    );
    await saver.put(
      latest.config,
      { ...latest.checkpoint, id: uuid6(-3), versions_seen: seenAll },
      { source: "loop", step: 2, parents: {} },
    );
    const stuck = await graph.getState(config);
    expect(stuck.next).toEqual([]);
    expect(stuck.values).toMatchObject({ round: 1, stopReason: null });

    expect(await resumePoint(graph, config, undefined)).toEqual({ kind: "continue" });
    const before = local.requests.length;
    const result = await graph.invoke(null, config);
    expect(result).toMatchObject({ approved: true, round: 2, stopReason: "approved" });
    // Round 1's code is reviewed next (the coder's finished step is not redone).
    expect(componentsHit(local).slice(before)[0]).toBe("reviewer");
  });
});
