/**
 * The coder/reviewer workflow's limits and the offline demo's names, in a
 * module without dependencies so the CLI can check its arguments before it
 * loads LangChain.
 */

/** The default number of coder/reviewer rounds before the run stops without approval. */
export const DEFAULT_MAX_ROUNDS = 3;

/** The longest task accepted, in characters. */
export const MAX_TASK_CHARS = 20_000;

/** The endpoint the offline demo serves. */
export const DEMO_ENDPOINT = "agents";
/** The coder's inference component in the demo. */
export const DEMO_CODER_COMPONENT = "coder";
/** The reviewer's inference component in the demo. */
export const DEMO_REVIEWER_COMPONENT = "reviewer";
/** The demo's region when the environment names none. */
export const DEMO_REGION = "us-west-2";
