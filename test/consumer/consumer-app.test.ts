/**
 * The package as a user's app gets it: `npm pack` of the build, installed from the tarball
 * into a new app together with the latest `langchain`, `@langchain/core`,
 * `@langchain/langgraph` and `@langchain/openai` from the npm registry. In that app:
 * (a) one copy each of `@langchain/core`, `@langchain/openai` and `openai`; (b) a strict,
 * `module: nodenext` consumer file that hands `ChatSageMakerOpenAI` and `calculatorTool`
 * to `createAgent` and `createReactAgent`, uses the model as a `BaseChatModel` and reads an
 * `AIMessage` back type-checks with 0 errors; (c) that file runs against the local endpoint
 * started from the installed package's `./local` entry, which verifies every token.
 *
 * The only network it uses is the npm registry (through npm's shared cache) and loopback.
 * Installing is the slow part, so this file has its own, longer, time limits.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
/** Packing and installing from the registry; bounded, but generous for a cold cache. */
const INSTALL_TIMEOUT_MS = 240_000;
const DEMO_ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";

/** What a user's app installs next to this package: today's LangChain packages. */
const USER_PACKAGES = [
  "langchain@latest",
  "@langchain/core@latest",
  "@langchain/langgraph@latest",
  "@langchain/openai@latest",
  "@types/node@22",
];

const CONSUMER_SOURCE = `import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import { createAgent } from "langchain";
import { ChatSageMakerOpenAI, calculatorTool } from "sagemaker-openai-agents";
import {
  DEMO_CREDENTIALS,
  defaultLocalEndpointConfig,
  startLocalEndpoint,
} from "sagemaker-openai-agents/local";

function lastAIMessage(messages: BaseMessage[]): AIMessage {
  const last = messages.at(-1);
  if (!AIMessage.isInstance(last)) throw new Error("the agent did not end with an AIMessage");
  return last;
}

const local = await startLocalEndpoint({
  ...defaultLocalEndpointConfig(),
  region: "us-west-2",
  credentials: [{ ...DEMO_CREDENTIALS }],
});
try {
  const model = new ChatSageMakerOpenAI({
    endpointName: "demo",
    region: local.region,
    baseURL: local.url,
    credentials: DEMO_CREDENTIALS,
  });
  const chatModel: BaseChatModel = model;
  const question = { messages: [{ role: "user", content: "What is 6 times 7?" }] };

  const agent = createAgent({ model, tools: [calculatorTool] });
  const viaCreateAgent: AIMessage = lastAIMessage((await agent.invoke(question)).messages);

  const reactAgent = createReactAgent({ llm: model, tools: [calculatorTool] });
  const viaReactAgent: AIMessage = lastAIMessage((await reactAgent.invoke(question)).messages);

  const direct: AIMessage = await chatModel.invoke("Say hello.");

  console.log(
    JSON.stringify({
      createAgent: viaCreateAgent.text,
      createReactAgent: viaReactAgent.text,
      direct: direct.text,
      isBaseChatModel: chatModel.lc_namespace.join("/"),
      requests: local.requests.map(({ endpoint, status, accessKeyId }) => ({ endpoint, status, accessKeyId })),
    }),
  );
} finally {
  await local.close();
}
`;

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    module: "nodenext",
    moduleResolution: "nodenext",
    target: "es2022",
    outDir: "out",
    types: ["node"],
  },
  files: ["consumer.ts"],
};

let workDir: string;
let app: string;

/** npm's environment for the child: the caller's, without the npm script variables of `npm test`. */
function npmEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith("npm_") && !name.startsWith("npm_config_")) continue;
    env[name] = value;
  }
  return env;
}

async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run("npm", args, {
    cwd,
    env: npmEnvironment(),
    timeout: INSTALL_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, "dist/src/index.js"))) {
    throw new Error("dist is missing; run `npm run build` first");
  }
  workDir = await mkdtemp(join(tmpdir(), "consumer-app-"));
  app = join(workDir, "app");
  const packed = JSON.parse(
    await npm(["pack", "--json", "--pack-destination", workDir, "--loglevel=error"], ROOT),
  ) as Array<{ filename: string }>;
  const tarball = join(workDir, packed[0]?.filename ?? "");
  await run("mkdir", [app]);
  await writeFile(
    join(app, "package.json"),
    JSON.stringify({ name: "consumer-app", version: "1.0.0", private: true, type: "module" }),
  );
  await npm(
    ["install", "--no-audit", "--no-fund", "--loglevel=error", tarball, ...USER_PACKAGES],
    app,
  );
  await writeFile(join(app, "consumer.ts"), CONSUMER_SOURCE);
  await writeFile(join(app, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
}, INSTALL_TIMEOUT_MS + 30_000);

afterAll(async () => {
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

/** Every installed copy of `name` in the app, as `version at path`, from the files on disk. */
async function installedCopies(name: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(nodeModules: string): Promise<void> {
    const manifest = join(nodeModules, name, "package.json");
    if (existsSync(manifest)) {
      const { version } = JSON.parse(await readFile(manifest, "utf8")) as { version: string };
      found.push(`${version} at ${join(nodeModules, name).slice(app.length + 1)}`);
    }
    for (const entry of await readdir(nodeModules, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      const packages = entry.name.startsWith("@")
        ? (await readdir(join(nodeModules, entry.name))).map((inner) => join(entry.name, inner))
        : [entry.name];
      for (const pkg of packages) {
        const nested = join(nodeModules, pkg, "node_modules");
        if (existsSync(nested)) await walk(nested);
      }
    }
  }
  await walk(join(app, "node_modules"));
  return found;
}

describe("a user's app with today's LangChain packages", () => {
  it("has one @langchain/core, one @langchain/openai and one openai", async () => {
    for (const name of ["@langchain/core", "@langchain/openai", "openai"]) {
      const copies = await installedCopies(name);
      expect(copies, name).toHaveLength(1);
      expect(copies[0], name).toMatch(/ at node_modules\//);
    }
    // npm's own view agrees: no invalid or missing peer in the tree.
    const tree = JSON.parse(await npm(["ls", "--all", "--json"], app)) as {
      problems?: string[];
    };
    expect(tree.problems ?? []).toEqual([]);
  });

  it("type-checks a strict nodenext consumer with 0 errors", { timeout: 120_000 }, async () => {
    const result = await run(process.execPath, [TSC, "-p", "tsconfig.json"], {
      cwd: app,
      timeout: 110_000,
    }).catch((error: { stdout?: string; code?: number }) => error);
    expect(result.stdout).toBe("");
    expect(existsSync(join(app, "out/consumer.js"))).toBe(true);
  });

  it("runs both agents and the model against the local endpoint", { timeout: 60_000 }, async () => {
    const { stdout } = await run(process.execPath, ["out/consumer.js"], {
      cwd: app,
      env: { PATH: process.env.PATH, HOME: workDir },
      timeout: 50_000,
    });
    const report = JSON.parse(stdout) as {
      createAgent: string;
      createReactAgent: string;
      direct: string;
      isBaseChatModel: string;
      requests: Array<{ endpoint: string; status: number; accessKeyId: string | null }>;
    };
    expect(report.createAgent).toContain("The calculator tool returned:");
    expect(report.createReactAgent).toContain("The calculator tool returned:");
    expect(report.direct).toContain("You asked:");
    // Two model calls per agent (tool call, then the answer) and one direct call.
    expect(report.requests).toHaveLength(5);
    for (const request of report.requests) {
      expect(request).toEqual({ endpoint: "demo", status: 200, accessKeyId: DEMO_ACCESS_KEY });
    }
  });
});
