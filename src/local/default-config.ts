/**
 * What the local endpoint serves when given no config: the article's two
 * shapes side by side, all on the offline demo model.
 */
import type { LocalEndpointConfig } from "./config.js";

/**
 * The default config: a single-model endpoint `demo`, and an endpoint `agents`
 * with inference components `coder` and `reviewer` running the demo model's
 * coder and reviewer scripts (what the coder/reviewer agents expect).
 * Region and credentials come from the environment (`AWS_REGION` or
 * `us-west-2`; `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`).
 */
export function defaultLocalEndpointConfig(): LocalEndpointConfig {
  return {
    endpoints: {
      demo: { backend: { type: "demo" } },
      agents: {
        inferenceComponents: {
          coder: { backend: { type: "demo", script: "coder" } },
          reviewer: { backend: { type: "demo", script: "reviewer" } },
        },
      },
    },
  };
}
