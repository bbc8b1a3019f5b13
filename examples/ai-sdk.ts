/**
 * The Vercel AI SDK on a SageMaker endpoint: `generateText`, `streamText`, and a
 * tool the model calls, through `createSageMakerOpenAI` (a provider on
 * `@ai-sdk/openai-compatible` whose fetch adds a bearer token to each request).
 *
 *   npx tsx examples/ai-sdk.ts
 *
 * Without SAGEMAKER_ENDPOINT_NAME it starts the local SageMaker OpenAI endpoint
 * in this process (demo model, demo credentials, no AWS calls) and says so.
 * Against real SageMaker set AWS_REGION and SAGEMAKER_ENDPOINT_NAME (plus
 * SAGEMAKER_INFERENCE_COMPONENT to target one inference component); credentials
 * come from the default AWS chain. Tool calls need the container to return
 * OpenAI `tool_calls` (vLLM with SM_VLLM_ENABLE_AUTO_TOOL_CHOICE=true and a
 * SM_VLLM_TOOL_CALL_PARSER): the AI SDK does not parse `<tool_call>` text.
 */
import { generateText, stepCountIs, streamText, tool } from "ai";
import { z } from "zod";
import { createSageMakerOpenAI } from "../src/adapters/ai-sdk/index.js";
import { sagemakerOrLocalEndpoint } from "../src/local/index.js";
import { evaluateExpression, formatCalculatorResult } from "../tools/index.js";

const target = await sagemakerOrLocalEndpoint({ localEndpointName: "demo" });
console.log(target.description);
// The local `demo` endpoint is a single model; a real one may route to a component.
const inferenceComponentName = target.local
  ? undefined
  : process.env.SAGEMAKER_INFERENCE_COMPONENT || undefined;
if (inferenceComponentName) console.log(`Inference component ${inferenceComponentName}.`);
const sagemaker = createSageMakerOpenAI({
  ...target.connection,
  ...(inferenceComponentName === undefined ? {} : { inferenceComponentName }),
});

// SageMaker routes by URL; the model id is passed to the container unchanged, and "" works.
const model = sagemaker("");

try {
  console.log("\n== generateText");
  const answer = await generateText({
    model,
    prompt: "In one sentence: what does a SageMaker inference component do?",
  });
  console.log(answer.text);
  console.log(
    `(finish: ${answer.finishReason}, tokens in/out: ${answer.usage.inputTokens}/${answer.usage.outputTokens})`,
  );

  console.log("\n== streamText");
  const stream = streamText({ model, prompt: "Name three uses of a GPU endpoint." });
  for await (const piece of stream.textStream) process.stdout.write(piece);
  console.log(
    `\n(tokens in/out: ${(await stream.usage).inputTokens}/${(await stream.usage).outputTokens})`,
  );

  console.log("\n== a tool call");
  const withTool = await generateText({
    model,
    tools: {
      calculator: tool({
        description: "Evaluate an arithmetic expression, e.g. pi * 2^2.",
        inputSchema: z.object({ expression: z.string().describe("The arithmetic expression") }),
        // The package's parser: the model's text is evaluated as arithmetic, never run as code.
        execute: async ({ expression }) => formatCalculatorResult(evaluateExpression(expression)),
      }),
    },
    stopWhen: stepCountIs(3),
    prompt: "What is the area of a circle of radius 2? Use the calculator.",
  });
  for (const step of withTool.steps) {
    for (const result of step.toolResults) {
      console.log(
        `  [${result.toolName}] ${JSON.stringify(result.input)} -> ${String(result.output)}`,
      );
    }
  }
  console.log(withTool.text);
} finally {
  await target.close();
}
