/**
 * `general`: the demo model's default behaviour, and the fallback appended to
 * every other script (built-in or inline), so a script only lists what it does
 * differently.
 *
 * - After a tool result, it answers with text that quotes the result.
 * - When tools are offered (and allowed), it calls the first one, with
 *   arguments generated from the tool's JSON schema (an arithmetic expression
 *   for an `expression` string, for instance).
 * - Otherwise it answers in a few sentences that echo the question.
 *
 * For `response_format` JSON or a named `tool_choice`, the text replies become
 * a value generated from the requested schema.
 */
import type { Script } from "../script-types.js";

/** The default script of the demo backend. */
export const generalScript: Script = {
  name: "general",
  description:
    "Calls the first offered tool, then answers with its result; otherwise echoes the question.",
  rules: [
    {
      name: "answer with the tool result",
      when: { lastRole: "tool" },
      reply: {
        text:
          "The {{tool_name}} tool returned: {{tool_result}}\n\n" +
          "Based on that result, the answer to your question is {{tool_result}}.",
      },
    },
    {
      name: "call the first offered tool",
      when: { toolOffered: "" },
      reply: { tool: "" },
    },
    {
      name: "answer",
      reply: {
        text:
          "You asked: “{{last_user}}”.\n\n" +
          "This answer comes from {{model}}, the local demo model of sagemaker-openai-agents. " +
          "It answers deterministically, so the same request always gets the same response, " +
          "which keeps tests and offline demos reproducible. " +
          "Point the client at a SageMaker endpoint to get answers from a real model.",
      },
    },
  ],
};
