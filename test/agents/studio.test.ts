/**
 * `langgraph.json` at the repository root, as LangGraph's CLI and Studio read
 * it: each graph reference names a module export that is a compiled graph,
 * and the coder/reviewer one loads offline (no endpoint configured) and runs.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";

// The module configures itself from the environment as it loads: no endpoint configured, so
// it starts the demo endpoint. Loaded with the test file, not inside the test, so the test's
// time is the graph's run, not loading LangGraph and LangChain (seconds on a loaded machine).
vi.hoisted(() => {
  for (const name of [
    "SAGEMAKER_ENDPOINT_NAME",
    "SAGEMAKER_BASE_URL",
    "SAGEMAKER_CODER_COMPONENT",
  ]) {
    vi.stubEnv(name, "");
  }
});

import * as studio from "../../agents/coder-reviewer/studio.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const config = JSON.parse(readFileSync(`${root}/langgraph.json`, "utf8")) as {
  node_version: string;
  dependencies: string[];
  graphs: Record<string, string>;
};

afterAll(async () => {
  await studio.target.close();
  vi.unstubAllEnvs();
});

describe("langgraph.json", () => {
  it("declares Node 24, this package, and graph references that exist", () => {
    expect(config.node_version).toBe("24");
    expect(config.dependencies).toEqual(["."]);
    expect(Object.keys(config.graphs)).toEqual(["coder_reviewer"]);
    for (const reference of Object.values(config.graphs)) {
      const [file, name] = reference.split(":");
      expect(name).toMatch(/^\w+$/);
      expect(existsSync(`${root}/${file}`)).toBe(true);
    }
  });

  it("exposes a compiled coder/reviewer graph that runs offline against the demo endpoint", async () => {
    const [file, name] = (config.graphs.coder_reviewer ?? "").split(":");
    // The reference names the module this file loaded, and an export of it.
    expect(resolve(root, file ?? "")).toBe(
      fileURLToPath(new URL("../../agents/coder-reviewer/studio.ts", import.meta.url)),
    );
    const graph = (studio as Record<string, unknown>)[name ?? ""];
    expect(graph).toBe(studio.graph);
    expect(Object.keys(studio.graph.getGraph().nodes).sort()).toEqual(
      ["__end__", "__start__", "coder", "reviewer"].sort(),
    );
    const result = await studio.graph.invoke({
      task: "Write a function that converts Celsius to Fahrenheit.",
    });
    expect(result).toMatchObject({ approved: true, round: 2, stopReason: "approved" });
    expect(studio.target.kind).toBe("demo");
  });
});
