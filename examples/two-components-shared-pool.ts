/**
 * Two inference components of one endpoint as two LangChain chat models that
 * share one token provider and one keep-alive connection pool (the article's
 * shared `httpx.Client`), created with `createSageMakerChatModels`. The coder
 * and the reviewer run concurrently; the reviewer's answer is streamed.
 *
 *   npx tsx examples/two-components-shared-pool.ts
 *
 * Without SAGEMAKER_ENDPOINT_NAME it starts the local SageMaker OpenAI endpoint
 * in this process (endpoint `agents` with components `coder` and `reviewer`,
 * demo model, demo credentials, no AWS calls) and reports how many sockets the
 * two models opened. Against real SageMaker set AWS_REGION and
 * SAGEMAKER_ENDPOINT_NAME, and SAGEMAKER_CODER_COMPONENT /
 * SAGEMAKER_REVIEWER_COMPONENT if the components are not named `coder` and
 * `reviewer`; credentials come from the default AWS chain.
 */
import { sagemakerOrLocalEndpoint } from "../src/local/index.js";
import { createSageMakerChatModels } from "../src/model/index.js";

const target = await sagemakerOrLocalEndpoint({ localEndpointName: "agents" });
console.log(target.description);

const MAX_SOCKETS = 4;
const { models, close } = createSageMakerChatModels({
  ...target.connection,
  components: {
    coder: {
      inferenceComponentName: process.env.SAGEMAKER_CODER_COMPONENT || "coder",
      temperature: 0.2,
    },
    reviewer: {
      inferenceComponentName: process.env.SAGEMAKER_REVIEWER_COMPONENT || "reviewer",
      temperature: 0,
    },
  },
  maxSockets: MAX_SOCKETS,
});

try {
  const task = "Write a Python function format_duration(total_seconds) that returns H:MM:SS.";
  console.log(`\n== ${MAX_SOCKETS} sockets at most for both models; 6 coder requests at once`);
  const drafts = await Promise.all(
    Array.from({ length: 6 }, (_, i) => models.coder.invoke(`${task} (variant ${i + 1})`)),
  );
  console.log(
    `coder answered ${drafts.length} times; first answer:\n${String(drafts[0]?.content)}`,
  );

  console.log("\n== reviewer, streamed");
  const stream = await models.reviewer.stream(`Review this code:\n\n${String(drafts[0]?.content)}`);
  for await (const chunk of stream) process.stdout.write(String(chunk.content));
  console.log();

  const local = target.local;
  if (local) {
    console.log(
      `\nThe local endpoint saw ${local.requests.length} requests over ${local.connections.opened} ` +
        `TCP connection(s) (pool limit ${MAX_SOCKETS}).`,
    );
  }
} finally {
  await close();
  await target.close();
}
