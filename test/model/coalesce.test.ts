/**
 * Merging stream chunks under overload (src/model/coalesce.ts): merged chunks assemble into
 * exactly the message the chunks one by one would, and merging happens only while many
 * streams are open and the event loop runs late.
 */
import fc from "fast-check";
import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { coalesceWhenBehind, mergeChunks, streamsBehind } from "../../src/model/coalesce.js";

type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk;

function chunk(delta: Record<string, unknown>, extra: Partial<Chunk["choices"][0]> = {}): Chunk {
  return {
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: null, ...extra }],
  } as Chunk;
}

/** What a client assembles from a stream: text, reasoning, each call's name and arguments, the end. */
function assemble(chunks: Chunk[]) {
  let content = "";
  let reasoning = "";
  const calls = new Map<number, { id?: string; name?: string; args: string }>();
  let finish: string | null = null;
  let usage: unknown = null;
  for (const { choices, usage: used } of chunks) {
    if (used != null) usage = used;
    for (const choice of choices) {
      const delta = choice.delta as Record<string, unknown>;
      if (typeof delta.content === "string") content += delta.content;
      if (typeof delta.reasoning_content === "string") reasoning += delta.reasoning_content;
      type CallDelta = {
        index: number;
        id?: string;
        function?: { name?: string; arguments?: string };
      };
      for (const call of (delta.tool_calls ?? []) as CallDelta[]) {
        const entry = calls.get(call.index) ?? { args: "" };
        const fn = call.function ?? {};
        if (call.id) entry.id = call.id;
        if (fn.name) entry.name = fn.name;
        entry.args += fn.arguments ?? "";
        calls.set(call.index, entry);
      }
      if (choice.finish_reason != null) finish = choice.finish_reason;
    }
  }
  return { content, reasoning, calls: [...calls.entries()], finish, usage };
}

/** Merges each chunk into the one before when it can, as the iterator does with arrived chunks. */
function mergeAll(chunks: Chunk[]): Chunk[] {
  const out: Chunk[] = [];
  for (const next of chunks) {
    const last = out.at(-1);
    const merged = last === undefined ? undefined : mergeChunks(last, next);
    if (merged === undefined) out.push(next);
    else out[out.length - 1] = merged;
  }
  return out;
}

const text = fc.string({ maxLength: 6 });
const anyChunk: fc.Arbitrary<Chunk> = fc.oneof(
  text.map((t) => chunk({ content: t })),
  text.map((t) => chunk({ content: t, tool_calls: [] })),
  text.map((t) => chunk({ reasoning_content: t })),
  fc
    .tuple(fc.integer({ min: 0, max: 1 }), text)
    .map(([index, t]) =>
      chunk({ content: null, tool_calls: [{ index, function: { arguments: t } }] }),
    ),
  fc.integer({ min: 0, max: 1 }).map((index) =>
    chunk({
      tool_calls: [
        { index, id: `call_${index}`, type: "function", function: { name: "f", arguments: "" } },
      ],
    }),
  ),
  fc.constant(chunk({ role: "assistant", content: "" })),
  fc
    .constantFrom("stop", "tool_calls")
    .map((reason) => chunk({}, { finish_reason: reason as "stop" })),
  fc.constant({
    ...chunk({ content: "u" }),
    usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
  } as Chunk),
);

describe("merging stream chunks", () => {
  it("assembles into exactly the message of the chunks one by one, and merges only text of one kind", () => {
    fc.assert(
      fc.property(fc.array(anyChunk, { maxLength: 40 }), (chunks) => {
        const merged = mergeAll(chunks);
        expect(assemble(merged)).toEqual(assemble(chunks));
        expect(merged.length).toBeLessThanOrEqual(chunks.length);
        // A chunk that is not a plain continuation passes as it is (the same object).
        for (const original of chunks) {
          const choice = original.choices[0];
          if (original.usage != null || choice?.finish_reason != null) {
            expect(merged).toContain(original);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("never merges text with tool arguments, or arguments of different calls", () => {
    const a = chunk({ content: "x" });
    const b = chunk({ content: null, tool_calls: [{ index: 0, function: { arguments: "{" } }] });
    const c = chunk({ content: null, tool_calls: [{ index: 1, function: { arguments: "}" } }] });
    expect(mergeChunks(a, b)).toBeUndefined();
    expect(mergeChunks(b, c)).toBeUndefined();
    expect(mergeChunks(b, b)?.choices[0]?.delta).toEqual({
      content: null,
      tool_calls: [{ index: 0, function: { arguments: "{{" } }],
    });
  });
});

/** An iterator over `chunks` whose every chunk has already arrived. */
function arrived(chunks: Chunk[]): AsyncIterator<Chunk> {
  let i = 0;
  return {
    next: async () =>
      i < chunks.length
        ? { done: false, value: chunks[i++] as Chunk }
        : { done: true, value: undefined },
  };
}

async function drain(iterator: AsyncIterator<Chunk>): Promise<Chunk[]> {
  const out: Chunk[] = [];
  for (let next = await iterator.next(); !next.done; next = await iterator.next())
    out.push(next.value);
  return out;
}

/** Blocks the event loop for `ms`, then waits for the lateness sampler to run. */
async function fallBehind(ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Busy on purpose: the loop runs late.
  }
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe("merging only when behind", () => {
  const tokens = Array.from({ length: 20 }, (_, i) => chunk({ content: `t${i} ` }));

  it("passes chunks one by one with few streams open, even on a late loop", async () => {
    const stream = coalesceWhenBehind(arrived(tokens));
    await fallBehind(300);
    expect(streamsBehind()).toBe(false);
    expect(await drain(stream)).toEqual(tokens);
    stream.release();
  });

  it("merges arrived chunks while many streams are open and the loop runs late", async () => {
    const others = Array.from({ length: 31 }, () => coalesceWhenBehind(arrived([])));
    const stream = coalesceWhenBehind(arrived(tokens));
    try {
      expect(streamsBehind()).toBe(false);
      await fallBehind(400);
      while (!streamsBehind()) await new Promise((resolve) => setTimeout(resolve, 5));
      const out = await drain(stream);
      expect(out.length).toBeLessThan(tokens.length);
      expect(assemble(out)).toEqual(assemble(tokens));
    } finally {
      stream.release();
      for (const other of others) other.release();
    }
    expect(streamsBehind()).toBe(false);
  });
});
