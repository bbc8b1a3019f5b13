/**
 * `langgraph.json` at the repository root, as LangGraph's CLI and Studio read
 * it: each graph reference names a module export that is a compiled graph,
 * and the coder/reviewer one loads offline (no endpoint configured) and runs.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const config = JSON.parse(readFileSync(`${root}/langgraph.json`, "utf8")) as {
  node_version: string;
  dependencies: string[];
  graphs: Record<string, string>;
};

let close: (() => Promise<void>) | undefined;
afterAll(async () => {
  await close?.();
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
    for (const name of [
      "SAGEMAKER_ENDPOINT_NAME",
      "SAGEMAKER_BASE_URL",
      "SAGEMAKER_CODER_COMPONENT",
    ]) {
      vi.stubEnv(name, "");
    }
    const [file, name] = (config.graphs.coder_reviewer ?? "").split(":");
    const module = await import(pathToFileURL(`${root}/${file}`).href);
    close = () => module.target.close();
    const graph = module[name ?? ""];
    expect(Object.keys(graph.getGraph().nodes).sort()).toEqual(
      ["__end__", "__start__", "coder", "reviewer"].sort(),
    );
    const result = await graph.invoke({
      task: "Write a function that converts Celsius to Fahrenheit.",
    });
    expect(result).toMatchObject({ approved: true, round: 2, stopReason: "approved" });
    expect(module.target.kind).toBe("demo");
  });
});
