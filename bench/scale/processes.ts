/**
 * The scale benchmark's processes: the endpoint (`endpoint.ts`) and one runner per
 * measurement (`runner.ts`), each a new Node process running TypeScript through tsx, talking
 * to this one over an IPC channel. A fresh runner per measurement keeps one measurement's
 * heap, JIT state and peak RSS out of the next.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** What the endpoint process is started with. */
export interface EndpointSettings {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Delay before a paced response starts (time to first chunk). */
  latencyMs: number;
  /** Delay between the chunks of a paced stream. */
  chunkDelayMs: number;
}

/** What the endpoint process reports about itself. */
export interface EndpointStats {
  /** CPU time it used so far, in ms. */
  cpuMs: number;
  /** TCP connections opened to it so far, and open now. */
  opened: number;
  open: number;
}

/** A running endpoint process. */
export interface EndpointProcess {
  url: string;
  stats(): Promise<EndpointStats>;
  /** CPU time the endpoint process used so far, in ms. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

const REPO = fileURLToPath(new URL("../..", import.meta.url));

function startChild(file: string, env: Record<string, string>, nodeFlags: string[]): ChildProcess {
  return spawn(process.execPath, [...nodeFlags, "--import", "tsx", fileURLToPath(file)], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

/**
 * Extra Node flags from an environment variable, for profiling: `SCALE_NODE_FLAGS` for the
 * runners, `SCALE_ENDPOINT_NODE_FLAGS` for the endpoint (e.g. "--cpu-prof --cpu-prof-dir=prof").
 */
function nodeFlags(variable: string): string[] {
  return (process.env[variable] ?? "").split(" ").filter((flag) => flag !== "");
}

/** The next IPC message from `child`; rejects if it exits first. */
function nextMessage<T>(child: ChildProcess, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null) =>
      reject(new Error(`${what} exited (${signal ?? code}) before answering`));
    child.once("exit", onExit);
    child.once("message", (message) => {
      child.off("exit", onExit);
      resolve(message as T);
    });
  });
}

/** Starts the endpoint process and waits until it listens. */
export async function startEndpointProcess(settings: EndpointSettings): Promise<EndpointProcess> {
  const child = startChild(
    new URL("./endpoint.ts", import.meta.url).href,
    { SCALE_ENDPOINT: JSON.stringify(settings) },
    nodeFlags("SCALE_ENDPOINT_NODE_FLAGS"),
  );
  const { url } = await nextMessage<{ url: string }>(child, "the endpoint process");
  const stats = async (): Promise<EndpointStats> => {
    const answer = nextMessage<{ cpu: NodeJS.CpuUsage; opened: number; open: number }>(
      child,
      "the endpoint process",
    );
    child.send("stats");
    const { cpu, opened, open } = await answer;
    return { cpuMs: (cpu.user + cpu.system) / 1000, opened, open };
  };
  return {
    url,
    stats,
    cpuMs: async () => (await stats()).cpuMs,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send("stop");
      await exited;
    },
  };
}

/**
 * Runs `runner.ts` once with `task` and resolves to what it reports. The runner may send
 * `{ mark }` messages on the way (e.g. `"start"` and `"end"` of the measured part): each is
 * handed to `onMark`, and the runner waits for it to finish.
 */
export async function runInNewProcess<Task, Result>(
  task: Task,
  onMark: (mark: string) => Promise<void> = async () => {},
): Promise<Result> {
  const child = startChild(new URL("./runner.ts", import.meta.url).href, {}, [
    "--expose-gc",
    "--max-old-space-size=4096",
    ...nodeFlags("SCALE_NODE_FLAGS"),
  ]);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const result = new Promise<Result>((resolve, reject) => {
    child.once("exit", (code, signal) =>
      reject(new Error(`the runner process exited (${signal ?? code}) before answering`)),
    );
    child.on("message", (message: { mark?: string }) => {
      if (typeof message?.mark === "string") {
        void onMark(message.mark).then(() => child.send("ack"), reject);
      } else resolve(message as Result);
    });
  });
  child.send(task as object);
  try {
    return await result;
  } finally {
    // The runner exits by itself once it has answered (writing a CPU profile if asked to).
    await exited;
  }
}
