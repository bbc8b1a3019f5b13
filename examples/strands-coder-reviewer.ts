/**
 * The article's Strands Agents example in TypeScript: a coder agent and a
 * reviewer agent, each with a calculator tool, on two inference components of
 * one SageMaker endpoint, sharing one token provider.
 *
 *   npx tsx examples/strands-coder-reviewer.ts ["a task for the coder"]
 *
 * Without SAGEMAKER_ENDPOINT_NAME it starts the local SageMaker OpenAI endpoint
 * in this process (demo models, demo credentials, no AWS calls) and says so.
 * Against real SageMaker set AWS_REGION and SAGEMAKER_ENDPOINT_NAME, plus
 * SAGEMAKER_CODER_COMPONENT and SAGEMAKER_REVIEWER_COMPONENT for an
 * inference-component endpoint (without them both agents use the endpoint's
 * single model, as in the article). Credentials come from the default AWS chain.
 *
 * The article's calculator runs Python's `eval` on whatever the model sends;
 * this one uses the package's arithmetic parser, so model output is never executed.
 */
import { Agent, tool } from "@strands-agents/sdk";
import { z } from "zod";
import { sagemakerStrandsModel } from "../src/adapters/strands/index.js";
import { createTokenProvider } from "../src/auth/index.js";
import { sagemakerOrLocalEndpoint } from "../src/local/index.js";
import { evaluateExpression, formatCalculatorResult } from "../tools/index.js";

const task =
  process.argv[2] ?? "Write a Python function that formats a duration in seconds as H:MM:SS.";

const calculator = tool({
  name: "calculator",
  description: "Evaluate an arithmetic expression, e.g. 60 * 60 or sqrt(2) * (3 + 4)^2.",
  inputSchema: z.object({ expression: z.string().describe("The arithmetic expression") }),
  callback: ({ expression }) => {
    const answer = formatCalculatorResult(evaluateExpression(expression));
    console.log(`  [calculator] ${expression} = ${answer}`);
    return answer;
  },
});

const target = await sagemakerOrLocalEndpoint({ localEndpointName: "agents" });
console.log(target.description);
// Locally, components `coder` and `reviewer`; on SageMaker, the named ones, or
// without names the endpoint's single model for both agents.
const coderComponent = target.local ? "coder" : process.env.SAGEMAKER_CODER_COMPONENT || undefined;
const reviewerComponent = target.local
  ? "reviewer"
  : process.env.SAGEMAKER_REVIEWER_COMPONENT || undefined;
try {
  const { region, credentials, ...address } = target.connection;
  // One token provider for both models: one cached token, refreshed before it expires.
  const tokenProvider = createTokenProvider({
    ...(region === undefined ? {} : { region }),
    ...(credentials === undefined ? {} : { credentials }),
  });
  const modelFor = (inferenceComponentName: string | undefined) =>
    sagemakerStrandsModel({
      ...(region === undefined ? {} : { region }),
      ...address,
      ...(inferenceComponentName === undefined ? {} : { inferenceComponentName }),
      tokenProvider,
      temperature: 0.7,
    });

  const coder = new Agent({
    model: modelFor(coderComponent),
    systemPrompt:
      "You are an expert Python developer. Write clean, well-documented Python code with type hints. " +
      "Output ONLY the code, no explanation.",
    tools: [calculator],
    printer: false,
  });
  const reviewer = new Agent({
    model: modelFor(reviewerComponent),
    systemPrompt:
      "You are a senior code reviewer. Review Python code for correctness, efficiency, and PEP 8 style. " +
      "Give a concise review with specific suggestions.",
    tools: [calculator],
    printer: false,
  });
  const textOf = (result: Awaited<ReturnType<Agent["invoke"]>>): string =>
    result.lastMessage.content
      .map((block) => (block.type === "textBlock" ? block.text : ""))
      .join("");

  console.log(`\nTask: ${task}\n\n== coder`);
  const code = textOf(await coder.invoke(task));
  console.log(code);

  console.log("\n== reviewer");
  const review = textOf(
    await reviewer.invoke(`Review this code for the task "${task}":\n\n${code}`),
  );
  console.log(review);

  console.log("\n== coder, revising");
  const revised = textOf(
    await coder.invoke(
      `Task: ${task}\n\nReviewer comments:\n${review}\n\nRevise the code:\n\n${code}`,
    ),
  );
  console.log(revised);

  console.log("\n== reviewer, second look");
  console.log(textOf(await reviewer.invoke(`Review the revised code:\n\n${revised}`)));

  if (target.local !== undefined) {
    const routes = target.local.requests.map((entry) => `${entry.component} ${entry.status}`);
    console.log(`\nRequests the local endpoint served, in order: ${routes.join(", ")}`);
  }
} finally {
  await target.close();
}
