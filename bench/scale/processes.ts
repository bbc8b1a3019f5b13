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

/** A running endpoint process. */
export interface EndpointProcess {
  url: string;
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
    [],
  );
  const { url } = await nextMessage<{ url: string }>(child, "the endpoint process");
  return {
    url,
    async cpuMs() {
      const answer = nextMessage<{ cpu: NodeJS.CpuUsage }>(child, "the endpoint process");
      child.send("stats");
      const { cpu } = await answer;
      return (cpu.user + cpu.system) / 1000;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send("stop");
      await exited;
    },
  };
}

/** Runs `runner.ts` once with `task` and resolves to what it reports. */
export async function runInNewProcess<Task, Result>(task: Task): Promise<Result> {
  // SCALE_NODE_FLAGS adds Node flags to the runner only, e.g. "--cpu-prof --cpu-prof-dir=prof".
  const extra = (process.env.SCALE_NODE_FLAGS ?? "").split(" ").filter((flag) => flag !== "");
  const child = startChild(new URL("./runner.ts", import.meta.url).href, {}, [
    "--expose-gc",
    "--max-old-space-size=4096",
    ...extra,
  ]);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const result = nextMessage<Result>(child, "the runner process");
  child.send(task as object);
  try {
    return await result;
  } finally {
    // The runner exits by itself once it has answered (writing a CPU profile if asked to).
    await exited;
  }
}
