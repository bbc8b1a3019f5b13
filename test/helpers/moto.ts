/**
 * moto, the AWS service emulator, for tests that talk to a real AWS API
 * surface over HTTP. Reuses `MOTO_ENDPOINT` when CI already started one;
 * otherwise starts `python3 -m moto.server` on a free loopback port and stops
 * it afterwards. Tests sharing one server use unique resource names and never
 * reset it, so parallel test files cannot disturb each other.
 */
import { type ChildProcess, spawn } from "node:child_process";

/** A running moto server. */
export interface Moto {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  endpoint: string;
  /** Stops the server if this helper started it; a shared `MOTO_ENDPOINT` is left running. */
  stop(): Promise<void>;
}

/** Fake credentials moto accepts (it does not check signatures). */
export const MOTO_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" } as const;

/** The account id moto reports for every resource. */
export const MOTO_ACCOUNT_ID = "123456789012";

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/data.json`);
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

async function waitUntilAnswering(endpoint: string, deadline: number): Promise<void> {
  while (!(await answers(endpoint))) {
    if (Date.now() > deadline) throw new Error(`moto at ${endpoint} did not answer in time`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/**
 * Starts moto (or attaches to `MOTO_ENDPOINT`) and resolves once it answers HTTP.
 * Call `stop()` in `afterAll`.
 */
export async function startMoto(timeoutMs = 20_000): Promise<Moto> {
  const deadline = Date.now() + timeoutMs;
  const shared = process.env.MOTO_ENDPOINT;
  if (shared !== undefined && shared !== "") {
    const endpoint = shared.replace(/\/+$/, "");
    await waitUntilAnswering(endpoint, deadline);
    return { endpoint, stop: async () => {} };
  }
  // Port 0 lets the OS pick a free port; moto prints the one it got, so there is no race.
  const child = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`moto did not start:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        child.stderr?.off("data", onData);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`moto exited with code ${String(code)}:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stopChild(child);
    throw error;
  });
  // Keep draining its request log so a full pipe never blocks the server.
  child.stdout?.resume();
  child.stderr?.resume();
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(endpoint, deadline);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { endpoint, stop: () => stopChild(child) };
}
