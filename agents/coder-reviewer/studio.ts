/**
 * The coder/reviewer graph for LangGraph's own tooling (`langgraph.json` at the
 * repository root points here): `npx @langchain/langgraph-cli dev` serves it
 * to LangGraph Studio, which supplies its own persistence.
 *
 * Configured from the environment like the `review` command: `AWS_REGION`,
 * `SAGEMAKER_ENDPOINT_NAME`, `SAGEMAKER_CODER_COMPONENT`,
 * `SAGEMAKER_REVIEWER_COMPONENT`, and `SAGEMAKER_BASE_URL` for a local endpoint
 * or proxy. With none of them it starts the local demo endpoint in this
 * process, so the graph runs offline.
 */
import { readTarget } from "../cli/settings.js";
import { type PreparedTarget, prepareTarget } from "../cli/target.js";
import { type CoderReviewerGraph, createCoderReviewerGraph } from "./graph.js";

const env = process.env;

/** Where the graph's models run (the demo endpoint when nothing is configured). */
export const target: PreparedTarget = await prepareTarget(
  readTarget({ "base-url": env.SAGEMAKER_BASE_URL }, env),
  env,
);

/** The compiled coder/reviewer graph, as `langgraph.json` exposes it. */
export const graph: CoderReviewerGraph = createCoderReviewerGraph({
  coder: target.models.coder,
  reviewer: target.models.reviewer,
});
