/**
 * Runs one documentation code block as a user would run a file: a real Node
 * child process through tsx, importing the built package by its name.
 *
 * The block is written to a temporary folder inside the repository, because a
 * package can import itself by name only from files under its own
 * `package.json` (Node's self-reference through `exports`). The child sees no
 * AWS, SageMaker, LangSmith or OpenAI settings of the machine, and no AWS
 * config files, so a runnable block must bring everything it needs (the local
 * endpoint, demo credentials) and can never reach a real account.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { CodeBlock } from "./markdown-blocks.js";

const run = promisify(execFile);

/** Prefix of the temporary folders; `.gitignore` lists it. */
export const RUN_DIRECTORY_PREFIX = ".doc-blocks-";

/** What a block printed; it exited 0 (otherwise `runBlock` rejects with both outputs). */
export interface BlockOutput {
  stdout: string;
  stderr: string;
}

/** The environment of a run: the machine's, minus every setting that could point at AWS. */
function offlineEnvironment(directory: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const name of Object.keys(env)) {
    if (/^(AWS_|SAGEMAKER_|LANGSMITH_|LANGCHAIN_|OPENAI_)/.test(name)) delete env[name];
  }
  // Files that do not exist: the default credential chain and region lookup find nothing.
  env.AWS_CONFIG_FILE = join(directory, "no-aws-config");
  env.AWS_SHARED_CREDENTIALS_FILE = join(directory, "no-aws-credentials");
  env.AWS_EC2_METADATA_DISABLED = "true";
  return env;
}

/** Writes `block` to a temporary file under `root` and runs it; rejects if it fails or times out. */
export async function runBlock(
  root: string,
  block: CodeBlock,
  timeoutMs: number,
): Promise<BlockOutput> {
  const directory = await mkdtemp(join(root, RUN_DIRECTORY_PREFIX));
  try {
    const file = join(directory, `${block.file.replaceAll("/", "_")}-L${block.line}.ts`);
    await writeFile(file, block.code);
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", file], {
      cwd: root,
      env: offlineEnvironment(directory),
      timeout: timeoutMs,
      killSignal: "SIGKILL",
    });
    return { stdout, stderr };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
