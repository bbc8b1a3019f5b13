/**
 * The `coder` and `reviewer` scripts, driven the way the coder/reviewer graph
 * will drive them: LangChain's ChatOpenAI over real HTTP through the local
 * endpoint, with the package's real `calculator` and `syntax_check` tools, and
 * the reviewer's verdict asked for by function calling, by JSON schema, and in
 * prose. The code the coder writes is checked with python3 (parsed, and the
 * canned functions exercised).
 */
import { execFileSync } from "node:child_process";
import { type AIMessage, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import { ChatOpenAI } from "@langchain/openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createBackend } from "../../../src/local/backends/index.js";
import { startLocalEndpoint } from "../../../src/local/index.js";
import { calculatorTool, syntaxCheckTool } from "../../../tools/index.js";
import { TEST_CREDENTIALS } from "../../helpers/local-endpoint.js";
import { collect, type DemoEndpoint, startDemoEndpoint } from "./backend-helpers.js";

const CODER_PROMPT =
  "You are an expert Python developer. Write clean, well-documented Python code with type hints. Output ONLY the code.";
const REVIEWER_PROMPT =
  "You are a senior code reviewer. Review Python code for correctness, efficiency and PEP 8 style.";
const TEMPERATURE_TASK = "Write a function that converts Celsius to Fahrenheit.";
const OTHER_TASK = "Write a function that formats a number of seconds for a stopwatch display.";

const Verdict = z.object({
  approved: z.boolean().describe("Whether the code can be merged as it is."),
  comments: z.array(z.string()).describe("Concrete changes to make, or praise."),
});

let demo: DemoEndpoint;
beforeAll(async () => {
  demo = await startDemoEndpoint({
    coder: { type: "demo", script: "coder" },
    reviewer: { type: "demo", script: "reviewer" },
    coderHermes: {
      type: "demo",
      script: "coder",
      toolCalls: "hermes",
      reasoning: true,
      reasoningField: "inline",
    },
    reviewerThinking: { type: "demo", script: "reviewer", reasoning: true },
  });
});
afterAll(() => demo.close());

function model(component: string): ChatOpenAI {
  return new ChatOpenAI({
    model: "demo-qwen3-4b",
    apiKey: demo.token,
    maxRetries: 0,
    configuration: { baseURL: demo.local.baseURL("demo", component) },
  });
}

function text(message: { content: unknown }): string {
  return typeof message.content === "string" ? message.content : JSON.stringify(message.content);
}

function codeOf(answer: string): string {
  const match = /^```python\n([\s\S]*)\n```$/.exec(answer);
  if (!match?.[1]) throw new Error(`not one fenced python block: ${answer}`);
  return match[1];
}

/** Runs python3 on a check script; the code under test is passed on stdin, never in a shell string. */
function python(code: string, check: string): string {
  const program = `import ast, sys\nsource = sys.stdin.read()\nast.parse(source)\nscope = {}\nexec(source, scope)\n${check}`;
  return execFileSync("python3", ["-c", program], { input: code, encoding: "utf8" }).trim();
}

/** The coder's two steps for a fresh task: the calculator call, the real tool's result, version 1. */
async function writeFirstVersion(component: string, task: string) {
  const coder = model(component).bindTools([calculatorTool]);
  const history = [new SystemMessage(CODER_PROMPT), new HumanMessage(task)];
  const first = await coder.invoke(history);
  const call = first.tool_calls?.[0];
  if (call === undefined) throw new Error(`expected a tool call, got: ${text(first)}`);
  const result = await calculatorTool.invoke(call);
  const second = await coder.invoke([...history, first, result]);
  return { first, call, result, second };
}

function revisionRequest(task: string, code: string, comments: string[]): string {
  return `${task}\n\nYour previous version:\n\`\`\`python\n${code}\n\`\`\`\n\nReviewer comments:\n${comments.map((c) => `- ${c}`).join("\n")}\n\nRevise the code.`;
}

function reviewRequest(task: string, code: string): HumanMessage[] {
  return [new HumanMessage(`Task: ${task}\n\nReview this code:\n\`\`\`python\n${code}\n\`\`\``)];
}

describe("the coder script", () => {
  it("calls the calculator once, then answers with one python block using its result", async () => {
    const { call, result, second } = await writeFirstVersion("coder", TEMPERATURE_TASK);
    expect(call.name).toBe("calculator");
    expect(call.args).toEqual({ expression: "9 / 5" });
    expect(call.id).toMatch(/^chatcmpl-tool-[0-9a-f]{32}$/);
    expect(text(result)).toBe("1.8");
    expect(second.tool_calls ?? []).toEqual([]);
    const code = codeOf(text(second));
    expect(code).toContain("FAHRENHEIT_PER_CELSIUS: float = 1.8");
    expect(code).toContain("def celsius_to_fahrenheit(celsius: float) -> float:");
    expect(code).not.toContain("raise ValueError");
    expect(python(code, "print(scope['celsius_to_fahrenheit'](100))")).toBe("212.0");
  });

  it("writes the constant out itself when the calculator fails", async () => {
    const coder = model("coder").bindTools([calculatorTool]);
    const task = new HumanMessage(TEMPERATURE_TASK);
    const first = await coder.invoke([task]);
    const id = first.tool_calls?.[0]?.id ?? "";
    const failed = new ToolMessage({ tool_call_id: id, content: "Error: division by zero" });
    const answer = codeOf(text(await coder.invoke([task, first, failed])));
    expect(answer).toContain("FAHRENHEIT_PER_CELSIUS: float = 1.8");
    expect(answer).not.toContain("Error");
  });

  it("writes format_duration for any other task, with the same hermes-text flow", async () => {
    const coder = model("coderHermes");
    const first = await coder.invoke([new HumanMessage(OTHER_TASK)], { tools: [calculatorTool] });
    // Without the server's parser the call stays raw text in content, after the inline think block.
    expect(first.tool_calls ?? []).toEqual([]);
    expect(text(first)).toMatch(
      /^<think>\n[\s\S]+<\/think>\n\n<tool_call>\n\{"name": "calculator", "arguments": \{"expression": "60 \* 60"\}\}\n<\/tool_call>$/,
    );
    const { second } = await writeFirstVersion("coder", OTHER_TASK);
    const code = codeOf(text(second));
    expect(code).toContain("SECONDS_PER_HOUR: int = 3600");
    expect(python(code, "print(scope['format_duration'](3665))")).toBe("1:01:05");
  });

  it("answers version 1 directly when no calculator is offered, and revises after review comments", async () => {
    const coder = model("coder");
    const direct = await coder.invoke([
      new SystemMessage(CODER_PROMPT),
      new HumanMessage(TEMPERATURE_TASK),
    ]);
    const v1 = codeOf(text(direct));
    const revised = await coder
      .bindTools([calculatorTool])
      .invoke([
        new SystemMessage(CODER_PROMPT),
        new HumanMessage(
          revisionRequest(TEMPERATURE_TASK, v1, ["Reject temperatures below absolute zero."]),
        ),
      ]);
    expect(revised.tool_calls ?? []).toEqual([]);
    const v2 = codeOf(text(revised));
    expect(v2).toContain("raise ValueError");
    expect(
      python(
        v2,
        "f = scope['celsius_to_fahrenheit']\nprint(f(0))\ntry:\n    f(-300)\nexcept ValueError:\n    print('refused')",
      ),
    ).toBe("32.0\nrefused");
  });
});

describe("the reviewer script", () => {
  let v1: string;
  let v2: string;
  beforeAll(async () => {
    const coder = model("coder");
    v1 = codeOf(text(await coder.invoke([new HumanMessage(TEMPERATURE_TASK)])));
    v2 = codeOf(
      text(
        await coder.invoke([
          new HumanMessage(revisionRequest(TEMPERATURE_TASK, v1, ["Validate input."])),
        ]),
      ),
    );
  });

  it("requests one change for version 1 and approves version 2, by function calling and by JSON schema", async () => {
    for (const method of ["functionCalling", "jsonSchema"] as const) {
      for (const component of ["reviewer", "reviewerThinking"]) {
        const reviewer = model(component).withStructuredOutput(Verdict, {
          method,
          name: "review_verdict",
        });
        const first = await reviewer.invoke(reviewRequest(TEMPERATURE_TASK, v1));
        expect(first.approved).toBe(false);
        expect(first.comments).toHaveLength(1);
        expect(first.comments[0]).toContain("absolute zero");
        const second = await reviewer.invoke(reviewRequest(TEMPERATURE_TASK, v2));
        expect(second).toEqual({
          approved: true,
          comments: [expect.stringContaining("validation")],
        });
      }
    }
  });

  it("answers in prose when asked for neither", async () => {
    const reviewer = model("reviewer");
    const first = text(
      await reviewer.invoke([
        new SystemMessage(REVIEWER_PROMPT),
        ...reviewRequest(TEMPERATURE_TASK, v1),
      ]),
    );
    expect(first).toMatch(/^CHANGES REQUESTED: Validate the input/);
    const second = text(await reviewer.invoke(reviewRequest(TEMPERATURE_TASK, v2)));
    expect(second).toMatch(/^APPROVED: /);
  });

  it("gives the comment of the program it recognises, and a generic one for other code", async () => {
    const reviewer = model("reviewer").withStructuredOutput(Verdict, { method: "jsonSchema" });
    const { second } = await writeFirstVersion("coder", OTHER_TASK);
    const duration = await reviewer.invoke(reviewRequest(OTHER_TASK, codeOf(text(second))));
    expect(duration.comments[0]).toContain("negative total_seconds");
    const other = await reviewer.invoke(
      reviewRequest("Add numbers.", "def add(a: int, b: int) -> int:\n    return a + b"),
    );
    expect(other).toEqual({
      approved: false,
      comments: [expect.stringContaining("raise ValueError")],
    });
    const none = await reviewer.invoke([new HumanMessage("Is my code fine?")]);
    expect(none).toEqual({
      approved: false,
      comments: [expect.stringContaining("No code to review")],
    });
  });

  it("may check the syntax first with the real syntax_check tool, then give its verdict", async () => {
    const reviewer = model("reviewer").bindTools([syntaxCheckTool, calculatorTool]);
    const history = [new SystemMessage(REVIEWER_PROMPT), ...reviewRequest(TEMPERATURE_TASK, v1)];
    const first = await reviewer.invoke(history);
    const call = first.tool_calls?.[0];
    expect(call?.name).toBe("syntax_check");
    expect(call?.args).toEqual({ language: "python", code: v1 });
    const result = (await syntaxCheckTool.invoke(call as NonNullable<typeof call>)) as ToolMessage;
    expect(text(result)).toMatch(/^OK/);
    const verdict = await reviewer.invoke([...history, first as AIMessage, result]);
    expect(verdict.tool_calls ?? []).toEqual([]);
    expect(text(verdict)).toMatch(/^CHANGES REQUESTED: /);
  });
});

describe("scripts as configuration", () => {
  it("an inline script's rules come first, with the general script as fallback", async () => {
    const backend = createBackend({
      type: "demo",
      script: {
        name: "greeter",
        rules: [
          { when: { lastUser: "^hello\\b" }, reply: { text: "Hi! You said: {{last_user}}" } },
        ],
      },
    });
    const greeted = await collect(backend, {
      messages: [{ role: "user", content: "hello   there" }],
    });
    expect(greeted.body).toMatchObject({
      choices: [{ message: { content: "Hi! You said: hello there" } }],
    });
    const fallback = await collect(backend, { messages: [{ role: "user", content: "bye" }] });
    expect(fallback.body).toMatchObject({
      choices: [{ message: { content: expect.stringContaining("You asked") } }],
    });
  });

  it("bad scripts and options are refused with LOCAL_BACKEND_INVALID, naming the problem", async () => {
    expect(() => createBackend({ type: "demo", script: "poet" })).toThrow(
      expect.objectContaining({
        code: "LOCAL_BACKEND_INVALID",
        message: expect.stringContaining('"poet"'),
      }),
    );
    expect(() =>
      createBackend({
        type: "demo",
        script: { name: "x", rules: [{ when: { lastUser: "(" }, reply: { text: "" } }] },
      }),
    ).toThrow(
      expect.objectContaining({ message: expect.stringContaining("script.rules.0.when.lastUser") }),
    );
    expect(() => createBackend({ type: "demo", toolcalls: "native" } as never)).toThrow(
      expect.objectContaining({ code: "LOCAL_BACKEND_INVALID" }),
    );
    await expect(
      startLocalEndpoint({
        region: "us-west-2",
        credentials: [{ ...TEST_CREDENTIALS }],
        endpoints: { ep: { backend: { type: "demo", script: "poet" } } },
      }),
    ).rejects.toMatchObject({ code: "LOCAL_BACKEND_INVALID" });
  });
});
