/**
 * How long the built command line takes as a new process, end to end, next to
 * `node -e 0` measured in the same rounds (the ratio survives a noisy machine):
 * `--help`, `--version`, `token` (static credentials in the environment) and
 * the offline `review` demo (`--json`, two rounds of the demo model, its state
 * in a temporary directory). The commands run in turn, round after round,
 * after one warm-up round that is not counted (it also fills Node's compile
 * cache, which the CLI enables); each figure is the median over the rounds,
 * each ratio the median of the per-round ratios.
 *
 * `npm run build && npx tsx bench/run.ts cli-start` (CLI_START_ROUNDS=N for more rounds; default 10)
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { median } from "./stats.js";

const ROOT = resolve(import.meta.dirname, "..");
const CLI = join(ROOT, "dist/src/cli/main.js");
const TASK = "Write a function that converts Celsius to Fahrenheit";

interface Case {
  name: string;
  args: string[];
  /** The target for this command on a quiet machine, in seconds. */
  target?: number;
}

const CASES: Case[] = [
  { name: "node -e 0", args: ["-e", "0"] },
  { name: "--help", args: [CLI, "--help"], target: 0.3 },
  { name: "--version", args: [CLI, "--version"] },
  { name: "token", args: [CLI, "token", "--region", "us-west-2"], target: 0.5 },
  { name: "review (offline demo)", args: [CLI, "review", TASK, "--json"], target: 1.5 },
];

/** Runs `node args` to the end; resolves with its wall time in seconds, rejecting on a non-zero exit. */
function timed(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (data: Buffer) => {
      stderr += data.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (code === 0) resolvePromise(seconds);
      else reject(new Error(`node ${args.join(" ")} exited ${code}: ${stderr}`));
    });
  });
}

/** Prints the figures; asserts nothing. */
export async function run(): Promise<void> {
  if (!existsSync(CLI)) {
    process.stdout.write(`not measured: ${CLI} is missing (run \`npm run build\` first)\n`);
    return;
  }
  const rounds = Number(process.env.CLI_START_ROUNDS ?? 10);
  const home = mkdtempSync(join(tmpdir(), "cli-start-bench-"));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_DATA_HOME: join(home, "data"),
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: join(home, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, "no-aws-credentials"),
  };
  const times = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
  const ratios = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
  try {
    for (let round = 0; round <= rounds; round += 1) {
      const wall = new Map<string, number>();
      for (const c of CASES) wall.set(c.name, await timed(c.args, env));
      if (round === 0) continue; // warm-up: disk cache, compile cache
      const baseline = wall.get("node -e 0") ?? 1;
      for (const c of CASES) {
        const seconds = wall.get(c.name) ?? 0;
        times.get(c.name)?.push(seconds);
        ratios.get(c.name)?.push(seconds / baseline);
      }
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  const lines = [
    `Node ${process.version}, ${rounds} rounds (median wall seconds; ratio to node -e 0 in the same round)`,
  ];
  for (const c of CASES) {
    const wall = median(times.get(c.name) ?? []);
    const ratio = median(ratios.get(c.name) ?? []);
    const target = c.target === undefined ? "" : `   target <= ${c.target} s`;
    lines.push(
      `${c.name.padEnd(22)} ${wall.toFixed(3)} s   ${ratio.toFixed(1).padStart(5)}x node -e 0${target}`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}
