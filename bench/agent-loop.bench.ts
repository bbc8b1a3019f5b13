/**
 * CPU per agent turn: our `Agent` against LangGraph's prebuilt ReAct agent
 * (`createReactAgent` from `@langchain/langgraph/prebuilt`) and LangChain's `createAgent`,
 * side by side in one process, with the same model (`ChatSageMakerOpenAI` on the demo
 * `coder` component, the endpoint in its own process, unpaced), the same tool (the
 * calculator), the same system prompt and task. One turn: a model call that asks for the
 * calculator, the tool call, and a model call that answers with the code (about 100 chunks).
 *
 * Two ways of running a turn, each compared like for like:
 * - answer only: `agent.invoke(task)` against `graph.invoke({ messages })`;
 * - streaming tokens: `agent.stream(task)` (every event) against
 *   `graph.stream({ messages }, { streamMode: "messages" })` (every token).
 * Turns are interleaved (order alternating) and each ratio is the median of per-round
 * ratios of process CPU time, which holds up on a busy machine.
 *
 * `npx tsx bench/run.ts agent-loop`
 */
import { loadavg } from "node:os";
import { HumanMessage } from "@langchain/core/messages";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import { createAgent } from "langchain";
import { Agent } from "../agents/agent.js";
import { coderSystemPrompt, PYTHON } from "../agents/coder-reviewer/prompts.js";
import { createSageMakerChatModels } from "../src/model/index.js";
import { calculatorTool } from "../tools/calculator.js";
import { startEndpointProcess } from "./scale/processes.js";
import { median } from "./stats.js";

const REGION = "us-west-2";
const CREDENTIALS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
const TASK = "Write a function that converts Celsius to Fahrenheit.";
const ROUNDS = Number(process.env.AGENT_LOOP_ROUNDS ?? 150);
const WARMUP = 20;

type Turn = () => Promise<string>;

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function lastText(messages: Array<{ text: string }>): string {
  return messages.at(-1)?.text ?? "";
}

/** Interleaves the turns, `ROUNDS` times each; CPU ms per turn (medians) and ratios to the first. */
async function compare(
  turns: Record<string, Turn>,
): Promise<Record<string, { ms: number; ratio: number }>> {
  const names = Object.keys(turns);
  const answers = await Promise.all(names.map((name) => (turns[name] as Turn)()));
  if (new Set(answers).size !== 1) {
    throw new Error(`the agents answered differently: ${JSON.stringify(answers).slice(0, 400)}`);
  }
  for (let i = 0; i < WARMUP; i++) for (const name of names) await (turns[name] as Turn)();
  const cpu = new Map(names.map((name) => [name, [] as number[]]));
  const ratios = new Map(names.map((name) => [name, [] as number[]]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    const spent: Record<string, number> = {};
    for (const name of order) {
      const since = process.cpuUsage();
      await (turns[name] as Turn)();
      spent[name] = cpuMs(since);
    }
    for (const name of names) {
      cpu.get(name)?.push(spent[name] as number);
      ratios.get(name)?.push((spent[name] as number) / (spent[names[0] as string] as number));
    }
  }
  return Object.fromEntries(
    names.map((name) => [
      name,
      { ms: median(cpu.get(name) ?? []), ratio: median(ratios.get(name) ?? []) },
    ]),
  );
}

function print(title: string, results: Record<string, { ms: number; ratio: number }>): void {
  process.stdout.write(`${title} (CPU per turn, median of ${ROUNDS} interleaved rounds):\n`);
  const [first] = Object.keys(results);
  for (const [name, { ms, ratio }] of Object.entries(results)) {
    const versus = name === first ? "" : `; ours / this = ${(1 / ratio).toFixed(2)}`;
    process.stdout.write(
      `  ${name.padEnd(34)} ${ms.toFixed(2)} ms  (${ratio.toFixed(2)}x ours${versus})\n`,
    );
  }
}

/** Prints the figures; asserts nothing. */
export async function run(): Promise<void> {
  process.stdout.write(`load average at start: ${(loadavg()[0] ?? 0).toFixed(1)}\n`);
  const endpoint = await startEndpointProcess({
    region: REGION,
    credentials: CREDENTIALS,
    latencyMs: 0,
    chunkDelayMs: 0,
  });
  const { models, close } = createSageMakerChatModels({
    region: REGION,
    endpointName: "fast",
    baseURL: endpoint.url,
    credentials: CREDENTIALS,
    components: { coder: {} },
  });
  try {
    const model = models.coder;
    const prompt = coderSystemPrompt(PYTHON, [calculatorTool.name]);
    const ours = new Agent({ name: "coder", model, systemPrompt: prompt, tools: [calculatorTool] });
    const react = createReactAgent({ llm: model, tools: [calculatorTool], prompt });
    const agent = createAgent({ model, tools: [calculatorTool], systemPrompt: prompt });
    const input = () => ({ messages: [new HumanMessage(TASK)] });

    print(
      "Answer only",
      await compare({
        "ours: Agent.invoke": async () => (await ours.invoke(TASK)).text,
        "LangGraph createReactAgent.invoke": async () =>
          lastText((await react.invoke(input())).messages),
        "LangChain createAgent.invoke": async () =>
          lastText((await agent.invoke(input())).messages),
      }),
    );

    /** Every token and state of a prebuilt agent's stream; the answer is the last state's. */
    const drain = async (stream: AsyncIterable<unknown>): Promise<string> => {
      let answer = "";
      for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
        if (mode === "values")
          answer = lastText((chunk as { messages: Array<{ text: string }> }).messages);
      }
      return answer;
    };
    const modes = { streamMode: ["messages", "values"] as ("messages" | "values")[] };
    print(
      "Streaming every token",
      await compare({
        "ours: Agent.stream": async () => {
          let text = "";
          for await (const event of ours.stream(TASK))
            if (event.type === "final") text = event.text;
          return text;
        },
        'createReactAgent.stream("messages")': async () =>
          drain(await react.stream(input(), modes)),
        'createAgent.stream("messages")': async () => drain(await agent.stream(input(), modes)),
      }),
    );
  } finally {
    await close();
    await endpoint.stop();
  }
}
