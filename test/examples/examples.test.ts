/**
 * Every file in `examples/` runs to completion offline (each starts the local
 * endpoint when no SageMaker endpoint is configured) and prints what it exists
 * to show (a result, a tool call, an approved review, a plan), so none can rot
 * into printing something else. An example must never print a bearer token.
 */
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const examples = readdirSync(`${root}/examples`).filter((file) => file.endsWith(".ts"));

/** The environment an offline run sees: no real endpoint, no proxy of the user's. */
function offlineEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const name of Object.keys(env)) {
    if (name.startsWith("SAGEMAKER_") || name.startsWith("LANGSMITH_")) delete env[name];
  }
  return env;
}

/** The lines of `text` that match `pattern`, with its first group. */
function matches(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(new RegExp(pattern, "gm"))].map((m) => m[1] ?? m[0]);
}

/**
 * What each example exists to show, checked on what it printed (the demo
 * model answers deterministically, so these are exact where they can be).
 */
const SHOWS: Record<string, (stdout: string) => void> = {
  "ai-sdk.ts": (out) => {
    // A text answer with its finish reason and usage, a streamed one, and a tool call's right result.
    expect(out).toContain(
      "You asked: “In one sentence: what does a SageMaker inference component do?”.",
    );
    expect(out).toMatch(/^\(finish: stop, tokens in\/out: \d+\/\d+\)$/m);
    expect(out).toContain("You asked: “Name three uses of a GPU endpoint.”.");
    expect(out).toContain('[calculator] {"expression":"(12 + 30) * 2"} -> 84');
    expect(out).toContain("the answer to your question is 84.");
  },
  "auto-refresh.ts": (out) => {
    // Cached mode reuses a token until shortly before expiry, then mints the next one.
    const cached = matches(out, /^ {2}t\+[\d.]+s {2}(minted|reused) /);
    expect(cached[0]).toBe("minted");
    expect(cached.filter((c) => c === "minted").length).toBeGreaterThanOrEqual(2);
    expect(cached.filter((c) => c === "reused").length).toBeGreaterThan(cached.length / 2);
    expect(out).toContain("50 concurrent calls received 1 distinct token(s).");
    // Per-request mode signs a new token for every call.
    const perRequest = matches(out.slice(out.indexOf("Per-request mode")), /fingerprint (\w+)$/);
    expect(perRequest).toHaveLength(3);
    expect(new Set(perRequest).size).toBe(3);
    expect(out).toMatch(/shows no token when inspected: .*apiKey \[SageMakerTokenProvider\]/);
  },
  "deploy-dry-run.ts": (out) => {
    // Both plans and the clean-up, as the API calls they would make, with the article's model.
    expect(out).toContain("=== Single-model endpoint (Qwen/Qwen3-4B on ml.g6.2xlarge) ===");
    expect(out).toMatch(/^1\. CreateModel$/m);
    expect(out).toContain('"HF_MODEL_ID": "Qwen/Qwen3-4B"');
    expect(out).toContain('"SM_VLLM_TOOL_CALL_PARSER": "hermes"');
    expect(matches(out, /^\d+\. (CreateInferenceComponent)$/)).toHaveLength(2);
    expect(out).toContain("--- clean-up of ");
    expect(matches(out, /^\d+\. (DeleteModel)$/).length).toBeGreaterThanOrEqual(2);
    expect(out).toMatch(/^warning: This creates SageMaker endpoint .* billed for every hour/m);
  },
  "langgraph-coder-reviewer.ts": (out) => {
    // Tool calls by both agents, changes requested, then an approved review and the final code.
    expect(out).toContain("calculator -> 3600");
    expect(out).toContain("syntax_check -> OK: no syntax errors");
    expect(matches(out, /^ {2}verdict: (.+)$/)).toEqual(["changes requested", "approved"]);
    expect(out).toContain("Stopped: approved after 2 round(s).");
    const code = out.slice(out.lastIndexOf("Stopped: approved"));
    expect(code).toContain("def format_duration(total_seconds: int) -> str:");
    expect(code).toContain("raise ValueError");
  },
  "mint-token.ts": (out) => {
    // A token decoded back into what it says, with the default 15-minute lifetime.
    expect(out).toContain("access key id  AKIAIOSFODNN7EXAMPLE");
    expect(out).toContain("session token  no");
    const [signed, expires] = [/signed at {6}(\S+)$/, /expires at {5}(\S+)$/].map((p) =>
      Date.parse(matches(out, p)[0] ?? ""),
    );
    expect((expires ?? 0) - (signed ?? 0)).toBe(900_000);
    expect(out).toMatch(/length {9}\d{3,} characters, starts with "sagemaker-api-key-"/);
  },
  "openai-sdk-streaming.ts": (out) => {
    // The answer arrived as a stream of many chunks.
    expect(out).toContain(
      "You asked: “Explain in three sentences what an inference component is.”.",
    );
    expect(
      Number(matches(out, /^\((\d+) text chunks; tokens in\/out: \d+\/\d+\)$/)[0]),
    ).toBeGreaterThan(10);
  },
  "strands-coder-reviewer.ts": (out) => {
    expect(out).toContain("[calculator] 60 * 60 = 3600");
    expect(out).toMatch(/^CHANGES REQUESTED: Validate the input/m);
    expect(out).toMatch(/^APPROVED: /m);
    expect(out).toContain(
      "Requests the local endpoint served, in order: coder 200, coder 200, reviewer 200, coder 200, reviewer 200",
    );
  },
  "two-components-shared-pool.ts": (out) => {
    // Two components' models share one pool: 7 requests, never more sockets than its limit.
    expect(out).toContain("coder answered 6 times");
    expect(out).toMatch(/^CHANGES REQUESTED: /m);
    const [requests, sockets, limit] = (
      /The local endpoint saw (\d+) requests over (\d+) TCP connection\(s\) \(pool limit (\d+)\)/.exec(
        out,
      ) ?? []
    )
      .slice(1)
      .map(Number);
    expect(requests).toBe(7);
    expect(sockets).toBeGreaterThanOrEqual(1);
    expect(sockets).toBeLessThanOrEqual(limit ?? 0);
  },
};

describe("examples", () => {
  it("exist, and each has a check of what it shows", () => {
    expect(examples.length).toBeGreaterThan(0);
    expect(Object.keys(SHOWS).sort()).toEqual([...examples].sort());
  });

  for (const file of examples) {
    it(`${file} runs offline to completion, shows what it is for, and prints no token`, {
      timeout: 180_000,
    }, async () => {
      const { stdout, stderr } = await run(
        process.execPath,
        ["--import", "tsx", `examples/${file}`],
        { cwd: root, env: offlineEnvironment(), timeout: 170_000 },
      );
      SHOWS[file]?.(stdout);
      expect(`${stdout}${stderr}`).not.toMatch(/sagemaker-api-key-[A-Za-z0-9+/=]{20,}/);
    });
  }
});
