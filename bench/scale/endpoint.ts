/**
 * The scale benchmark's model server, in its own Node process so its CPU and event loop are
 * not the client's: the local endpoint with the demo `coder` and `reviewer` scripts twice,
 *
 * - endpoint `agents`: paced like a real model, `latencyMs` before the first chunk and
 *   `chunkDelayMs` between chunks (one chunk per token);
 * - endpoint `fast`: no pacing, for warm-up and CPU-bound measurements.
 *
 * Started by `processes.ts` with an IPC channel: it sends `{ url }` when listening, answers
 * `"stats"` with its CPU time and connection counts, and stops on `"stop"` or when the parent
 * goes away.
 */
import { startLocalEndpoint } from "../../src/local/index.js";
import type { EndpointSettings } from "./processes.js";

const settings = JSON.parse(process.env.SCALE_ENDPOINT ?? "{}") as EndpointSettings;
const paced = { latencyMs: settings.latencyMs, chunkDelayMs: settings.chunkDelayMs };

const local = await startLocalEndpoint({
  region: settings.region,
  credentials: [settings.credentials],
  maxLoggedRequests: 1,
  endpoints: {
    agents: {
      inferenceComponents: {
        coder: { backend: { type: "demo", script: "coder", ...paced } },
        reviewer: { backend: { type: "demo", script: "reviewer", ...paced } },
      },
    },
    fast: {
      inferenceComponents: {
        coder: { backend: { type: "demo", script: "coder" } },
        reviewer: { backend: { type: "demo", script: "reviewer" } },
      },
    },
  },
});

const stop = async (): Promise<void> => {
  await local.close();
  process.exit(0);
};
process.on("disconnect", stop);
process.on("message", (message) => {
  if (message === "stop") void stop();
  if (message === "stats") {
    const { opened, open } = local.connections;
    process.send?.({ cpu: process.cpuUsage(), opened, open });
  }
});
process.send?.({ url: local.url });
