/**
 * Reading what LangChain's LangSmith tracer sent to a capture server standing
 * in for LangSmith: the runs of its multipart uploads, and the keys LangChain
 * defines for a chat model's LangSmith parameters.
 */
import { awaitAllCallbacks } from "@langchain/core/callbacks/promises";
import type { CaptureServer } from "./capture-server.js";

/** LangChain's standard chat-model LangSmith keys (`LangSmithParams`, what its standard tests require). */
export const STANDARD_LS_KEYS = [
  "ls_max_tokens",
  "ls_model_name",
  "ls_model_type",
  "ls_provider",
  "ls_stop",
  "ls_temperature",
] as const;

/** A run as LangSmith receives it, put together from its multipart parts. */
export interface TracedRun {
  id: string;
  name?: string;
  run_type?: string;
  parent_run_id?: string;
  extra?: { metadata?: Record<string, unknown>; invocation_params?: Record<string, unknown> };
}

/** The runs in LangSmith's multipart uploads (`post.<id>`, `patch.<id>`, `post.<id>.extra`, ...). */
export function tracedRuns(server: CaptureServer): Map<string, TracedRun> {
  const runs = new Map<string, TracedRun>();
  for (const request of server.requests) {
    const boundary = /boundary=(\S+)/.exec(String(request.headers["content-type"]))?.[1];
    if (request.path !== "/runs/multipart" || boundary === undefined) continue;
    for (const part of request.body.split(`--${boundary}`)) {
      const name = /name="([^"]+)"/.exec(part)?.[1];
      const json = part.slice(part.indexOf("\r\n\r\n") + 4).trim();
      const [, id, field] = /^(?:post|patch)\.([^.]+)(?:\.(\w+))?$/.exec(name ?? "") ?? [];
      if (id === undefined || json === "") continue;
      const run = runs.get(id) ?? { id };
      const value = JSON.parse(json);
      Object.assign(run, field === undefined ? value : { [field]: value });
      runs.set(id, run);
    }
  }
  return runs;
}

/** Every byte the server received: request lines, headers and bodies. */
export function capturedBytes(server: CaptureServer): string {
  return server.requests
    .map(
      (request) =>
        `${request.method} ${request.path}\n${JSON.stringify(request.headers)}\n${request.body}`,
    )
    .join("\n");
}

/**
 * Waits until the traced runs satisfy `done` (LangSmith uploads in batches,
 * after the callbacks return), for at most about five seconds; returns them either way.
 */
export async function waitForRuns(
  server: CaptureServer,
  done: (runs: TracedRun[]) => boolean,
): Promise<TracedRun[]> {
  await awaitAllCallbacks();
  for (let i = 0; i < 100; i += 1) {
    const runs = [...tracedRuns(server).values()];
    if (done(runs)) return runs;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return [...tracedRuns(server).values()];
}

/** The `ls_*` keys of a run's metadata, sorted. */
export function lsKeys(run: TracedRun | undefined): string[] {
  return Object.keys(run?.extra?.metadata ?? {})
    .filter((key) => key.startsWith("ls_"))
    .sort();
}
