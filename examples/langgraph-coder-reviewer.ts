/**
 * The article's coder and reviewer agents as a LangGraph workflow: the coder
 * (with a calculator) writes code, the reviewer (with a syntax check) approves
 * it or asks for changes, until approval or three rounds. Each agent is its own
 * inference component of one SageMaker endpoint, sharing one token provider.
 *
 *   npx tsx examples/langgraph-coder-reviewer.ts ["a task for the coder"]
 *
 * Without SAGEMAKER_ENDPOINT_NAME it starts the local SageMaker OpenAI endpoint
 * in this process (demo models, demo credentials, no AWS calls) and says so.
 * Against real SageMaker set AWS_REGION and SAGEMAKER_ENDPOINT_NAME, plus
 * SAGEMAKER_CODER_COMPONENT and SAGEMAKER_REVIEWER_COMPONENT (default "coder" and
 * "reviewer"); credentials come
 * from the default AWS chain. (`npx sagemaker-openai-agents review "..."` is
 * the same workflow as a command, with checkpoints and resume.)
 */
import { MemorySaver } from "@langchain/langgraph";
import {
  createCoderReviewerGraph,
  createSageMakerChatModels,
  isCoderReviewerEvent,
} from "../src/index.js";
import { sagemakerOrLocalEndpoint } from "../src/local/index.js";

const task =
  process.argv[2] ?? "Write a Python function that formats a duration in seconds as H:MM:SS.";

const target = await sagemakerOrLocalEndpoint({ localEndpointName: "agents" });
console.log(target.description);

// One model per inference component, sharing one token provider and one keep-alive pool.
const { models, close } = createSageMakerChatModels({
  ...target.connection,
  components: {
    coder: { inferenceComponentName: process.env.SAGEMAKER_CODER_COMPONENT || "coder" },
    reviewer: { inferenceComponentName: process.env.SAGEMAKER_REVIEWER_COMPONENT || "reviewer" },
  },
});

const graph = createCoderReviewerGraph({
  coder: models.coder,
  reviewer: models.reviewer,
  maxRounds: 3,
  checkpointer: new MemorySaver(),
});

const config = { configurable: { thread_id: "example" } };
console.log(`Task: ${task}`);
try {
  const stream = await graph.stream({ task }, { ...config, streamMode: ["custom"] });
  for await (const [, event] of stream) {
    if (!isCoderReviewerEvent(event)) continue;
    if (event.type === "agent_start") console.log(`\n[round ${event.round}] ${event.agent}`);
    if (event.type === "tool_call")
      console.log(`  calls ${event.name} ${JSON.stringify(event.args).slice(0, 80)}`);
    if (event.type === "tool_result")
      console.log(`  ${event.name} -> ${event.content.slice(0, 80)}`);
    if (event.type === "code")
      console.log(`  wrote ${event.code.split("\n").length} lines of ${event.language ?? "code"}`);
    if (event.type === "verdict") {
      console.log(`  verdict: ${event.approved ? "approved" : "changes requested"}`);
      for (const comment of event.comments) console.log(`    - ${comment}`);
    }
  }
  const { values } = await graph.getState(config);
  console.log(`\nStopped: ${values.stopReason} after ${values.round} round(s).\n`);
  console.log(values.code);
} finally {
  await close();
  await target.close();
}
