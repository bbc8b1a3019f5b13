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
import { defaultLocalEndpointConfig, startLocalEndpoint } from "../src/local/index.js";

const DEMO_CREDENTIALS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

const endpointName = process.env.SAGEMAKER_ENDPOINT_NAME;
const local = endpointName
  ? undefined
  : await startLocalEndpoint({
      ...defaultLocalEndpointConfig(),
      region: "us-west-2",
      credentials: [DEMO_CREDENTIALS],
    });

const client = local
  ? createSageMakerOpenAIClient({
      region: "us-west-2",
      endpointName: "demo",
      credentials: DEMO_CREDENTIALS,
      baseURL: local.url,
    })
  : createSageMakerOpenAIClient({ endpointName: endpointName as string });
console.log(
  local
    ? `SAGEMAKER_ENDPOINT_NAME is not set: started the local SageMaker OpenAI endpoint at ${local.url}\n` +
        "(demo model, demo credentials AKIAIOSFODNN7EXAMPLE; nothing here calls AWS)."
    : `Using SageMaker endpoint ${endpointName} (region from AWS_REGION).`,
);

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
  await local?.close();
}
