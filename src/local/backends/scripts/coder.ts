/**
 * `coder`: the demo model behind the coder agent of the coder/reviewer graph.
 *
 * Contract (what the graph can rely on; every step is one chat request):
 *
 * 1. Fresh task. The last user message holds the task; tools include one whose
 *    name starts with `calc` (the `calculator` tool) and `tool_choice` is auto
 *    or absent. The model calls that tool exactly once, with arguments
 *    `{"expression": "<arithmetic>"}` (fitted to the tool's schema), e.g.
 *    `"9 / 5"` for a temperature task and `"60 * 60"` otherwise.
 * 2. After the tool result (the last message has role `tool`), it answers with
 *    text that is ONLY one fenced ```python block: version 1 of a typed,
 *    documented function, with the calculator's result pasted in as a
 *    constant when it is a plain number. finish_reason `stop`, no tool call.
 *    Without a calculator tool on offer it answers version 1 straight away.
 * 3. Revision. When the last user message contains the word "review" (any
 *    case, e.g. a line `Reviewer comments:`) AND a fenced code block (the
 *    previous version), it answers at once, with no tool call, with version 2:
 *    the same function with input validation that raises `ValueError`
 *    (the change the `reviewer` script asks for), again one ```python block.
 *
 * Which program: a task mentioning Celsius/Fahrenheit/temperature gets
 * `celsius_to_fahrenheit`; any other task gets `format_duration` (seconds to
 * `H:MM:SS`). The demo does not write code for the task's actual content.
 *
 * Anything not covered falls back to the `general` script.
 */
import type { Script, ScriptRule } from "../script-types.js";
import { demoPrograms } from "./programs.js";

const CALCULATOR = "^calc";

const revisions: ScriptRule[] = demoPrograms.map((program) => ({
  name: `revise ${program.functionName}`,
  when: { lastUser: ["review", program.topic], code: "\\S" },
  reply: {
    text: program.v2,
    reasoning: "The reviewer asked for input validation. I will add it and raise ValueError.",
  },
}));

const afterCalculator: ScriptRule[] = demoPrograms.flatMap((program): ScriptRule[] => [
  {
    name: `write ${program.functionName} with the computed constant`,
    when: { lastRole: "tool", lastUser: program.topic, toolResult: program.resultPattern },
    reply: {
      text: program.v1WithResult,
      reasoning: "The calculator returned the constant. I will use it in the code.",
    },
  },
  {
    name: `write ${program.functionName}`,
    when: { lastRole: "tool", lastUser: program.topic },
    reply: { text: program.v1 },
  },
]);

const freshTask: ScriptRule[] = demoPrograms.flatMap((program): ScriptRule[] => [
  {
    name: `compute the constant of ${program.functionName}`,
    when: { lastUser: program.topic, toolOffered: CALCULATOR },
    reply: {
      tool: CALCULATOR,
      args: { expression: program.expression },
      reasoning: program.reasoning,
    },
  },
  {
    name: `write ${program.functionName} without a calculator`,
    when: { lastUser: program.topic },
    reply: { text: program.v1 },
  },
]);

/** The coder's script: calculator once, then version 1; version 2 after review comments. */
export const coderScript: Script = {
  name: "coder",
  description:
    "Calls the calculator once, answers with a fenced python function, revises it after review comments.",
  rules: [...revisions, ...afterCalculator, ...freshTask],
};
