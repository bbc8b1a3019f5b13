/**
 * The OpenAI SDK on a single-model SageMaker endpoint, streaming: a client
 * from `createSageMakerOpenAIClient` (bearer tokens minted from AWS
 * credentials and refreshed behind the scenes), `stream: true`, text printed
 * as it arrives, usage from the final chunk.
 *
 *   npx tsx examples/openai-sdk-streaming.ts
 *
 * Without SAGEMAKER_ENDPOINT_NAME it starts the local SageMaker OpenAI endpoint
 * in this process (demo model, demo credentials, no AWS calls) and says so.
 * Against real SageMaker set AWS_REGION and SAGEMAKER_ENDPOINT_NAME; credentials
 * come from the default AWS chain.
 */
import { createSageMakerOpenAIClient } from "../src/client/index.js";
import { sagemakerOrLocalEndpoint } from "../src/local/index.js";

const target = await sagemakerOrLocalEndpoint({ localEndpointName: "demo" });
console.log(target.description);
const client = createSageMakerOpenAIClient(target.connection);

try {
  // SageMaker routes by URL, so `model` can stay "": vLLM then uses its served model.
  const stream = await client.chat.completions.create({
    model: "",
    messages: [
      { role: "system", content: "You are concise." },
      { role: "user", content: "Explain in three sentences what an inference component is." },
    ],
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: 256,
  });
  let chunks = 0;
  let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
  process.stdout.write("\n");
  for await (const chunk of stream) {
    const text = chunk.choices[0]?.delta?.content;
    if (text) {
      chunks += 1;
      process.stdout.write(text);
    }
    if (chunk.usage) usage = chunk.usage;
  }
  console.log(
    `\n\n(${chunks} text chunks; tokens in/out: ${usage?.prompt_tokens}/${usage?.completion_tokens})`,
  );
} finally {
  await target.close();
}
