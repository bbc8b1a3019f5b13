/**
 * Load shedding for streams: while the process is behind (many streams at once, and its
 * event loop runs late), the stream chunks that have already arrived are handed over as
 * one chunk, so LangChain's per-chunk work (a message chunk, a merge, callbacks, the
 * caller's events) is done once for them instead of once each. Nothing waits for a chunk to
 * arrive: a chunk that is not there yet ends the batch. While the process keeps up, chunks
 * pass through one by one, as the server sent them.
 *
 * Only plain continuations are merged: one choice, no finish reason, no usage, no
 * log probabilities, and a delta of text, reasoning text, or one tool call's argument text,
 * the same kind as the chunk before. The merged chunk carries the concatenated text, so
 * the message LangChain assembles is exactly the one it would have assembled from the
 * chunks one by one.
 */
import type OpenAI from "openai";

type ChatCompletionChunk = OpenAI.Chat.Completions.ChatCompletionChunk;
type Choice = OpenAI.Chat.Completions.ChatCompletionChunk.Choice;

/** How often the loop's lateness is sampled, and the smoothed lateness that counts as behind. */
const SAMPLE_MS = 20;
const BEHIND_MS = 20;
/** Fewer streams than this never count as behind: a few streams cannot overload a process. */
const MIN_STREAMS = 32;

/**
 * How late the event loop runs, sampled by an unref'd timer that runs only while at least
 * {@link MIN_STREAMS} streams are open (fewer never count as behind, so they pay for no
 * timer). `behind` is true while that many are open and the lateness, smoothed over about
 * five samples, exceeds {@link BEHIND_MS}: a process that is busy for a moment (or
 * descheduled by the machine) does not count.
 */
class LoopLag {
  #users = 0;
  #timer: NodeJS.Timeout | undefined;
  #last = 0;
  #lag = 0;

  get behind(): boolean {
    return this.#users >= MIN_STREAMS && this.#lag > BEHIND_MS;
  }

  acquire(): void {
    this.#users += 1;
    if (this.#users < MIN_STREAMS || this.#timer !== undefined) return;
    this.#last = performance.now();
    this.#timer = setInterval(() => {
      const now = performance.now();
      const late = Math.max(0, now - this.#last - SAMPLE_MS);
      this.#last = now;
      this.#lag += 0.25 * (late - this.#lag);
    }, SAMPLE_MS);
    this.#timer.unref();
  }

  release(): void {
    this.#users -= 1;
    if (this.#users >= MIN_STREAMS || this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#lag = 0;
  }
}

const loopLag = new LoopLag();

/** Whether streams are being merged now: many are open and the event loop runs late. */
export function streamsBehind(): boolean {
  return loopLag.behind;
}

/** Whether a delta field carries nothing (vLLM sends `content: null` next to tool calls, `tool_calls: []` next to text). */
function isEmpty(value: unknown): boolean {
  return value === null || (Array.isArray(value) && value.length === 0);
}

/**
 * What a mergeable chunk continues: the one field with text (`content`, `reasoning`,
 * `reasoning_content`, or one tool call's `arguments`) and the empty fields beside it.
 * Chunks merge only with chunks of the same kind. Undefined for any other chunk.
 */
function kindOf(chunk: ChatCompletionChunk): string | undefined {
  if (chunk.usage != null || chunk.choices?.length !== 1) return undefined;
  const choice = chunk.choices[0] as Choice;
  if (choice.index !== 0 || choice.finish_reason != null || choice.logprobs != null) {
    return undefined;
  }
  const delta = choice.delta as Record<string, unknown> | undefined;
  if (delta === undefined || delta === null) return undefined;
  let text: string | undefined;
  const empty: string[] = [];
  for (const [key, value] of Object.entries(delta)) {
    if (isEmpty(value)) empty.push(key);
    else if (text !== undefined) return undefined;
    else if (key === "content" || key === "reasoning" || key === "reasoning_content") {
      if (typeof value !== "string") return undefined;
      text = key;
    } else if (key === "tool_calls") {
      const index = argumentsOnlyCall(value);
      if (index === undefined) return undefined;
      text = `tool_calls:${index}`;
    } else return undefined;
  }
  return text === undefined ? undefined : `${text}|${empty.sort().join(",")}`;
}

/** The index of a tool call delta that holds only more argument text; undefined otherwise. */
function argumentsOnlyCall(value: unknown): number | undefined {
  if (!Array.isArray(value) || value.length !== 1) return undefined;
  const call = value[0] as Record<string, unknown>;
  // No id, type or name: the call has started; this is only more of its arguments.
  if (Object.keys(call).some((field) => field !== "index" && field !== "function")) {
    return undefined;
  }
  const fn = call.function as Record<string, unknown> | undefined;
  if (typeof call.index !== "number" || typeof fn !== "object" || fn === null) return undefined;
  if (Object.keys(fn).length !== 1 || typeof fn.arguments !== "string") return undefined;
  return call.index;
}

/**
 * `first` with `next`'s text appended, when both are plain continuations of the same kind
 * (see the module comment); undefined when they cannot be merged.
 */
export function mergeChunks(
  first: ChatCompletionChunk,
  next: ChatCompletionChunk,
): ChatCompletionChunk | undefined {
  const kind = kindOf(first);
  return kind !== undefined && kindOf(next) === kind ? merge(first, next) : undefined;
}

/** `first` with `next`'s text appended; both of the same kind. */
function merge(first: ChatCompletionChunk, next: ChatCompletionChunk): ChatCompletionChunk {
  const a = (first.choices[0] as Choice).delta as Record<string, unknown>;
  const b = (next.choices[0] as Choice).delta as Record<string, unknown>;
  const delta: Record<string, unknown> = { ...a };
  for (const key of ["content", "reasoning", "reasoning_content"]) {
    if (typeof a[key] === "string") delta[key] = `${a[key]}${b[key]}`;
  }
  if (Array.isArray(a.tool_calls) && a.tool_calls.length === 1) {
    const [callA] = a.tool_calls as Array<{ index: number; function: { arguments: string } }>;
    const [callB] = b.tool_calls as Array<{ function: { arguments: string } }>;
    delta.tool_calls = [
      {
        index: callA?.index,
        function: { arguments: `${callA?.function.arguments}${callB?.function.arguments}` },
      },
    ];
  }
  return { ...first, choices: [{ ...(first.choices[0] as Choice), delta }] };
}

const NOT_YET = Symbol("not yet");
let turn: Promise<typeof NOT_YET> | undefined;

/** Resolves in the check phase of this loop turn: after every chunk already read is parsed. */
function endOfTurn(): Promise<typeof NOT_YET> {
  turn ??= new Promise((resolve) => {
    setImmediate(() => {
      turn = undefined;
      resolve(NOT_YET);
    });
  });
  return turn;
}

/** A chunk iterator that merges already-arrived chunks while the process is behind. */
export interface CoalescingIterator extends AsyncIterator<ChatCompletionChunk> {
  /** Stops sampling the loop for this stream; call once when done with it. */
  release(): void;
}

/** Wraps `source` (see the module comment); `release()` when the stream is finished. */
export function coalesceWhenBehind(source: AsyncIterator<ChatCompletionChunk>): CoalescingIterator {
  loopLag.acquire();
  let released = false;
  // A result read ahead that did not merge, or a read started that had not arrived.
  let held: Promise<IteratorResult<ChatCompletionChunk>> | undefined;
  const pull = (): Promise<IteratorResult<ChatCompletionChunk>> => {
    const next = held ?? source.next();
    held = undefined;
    return next;
  };
  const mergeArrived = async (): Promise<IteratorResult<ChatCompletionChunk>> => {
    const first = await pull();
    if (first.done || !loopLag.behind) return first;
    const kind = kindOf(first.value);
    if (kind === undefined) return first;
    let merged = first.value;
    for (;;) {
      const candidate = source.next();
      let arrived: IteratorResult<ChatCompletionChunk> | typeof NOT_YET;
      try {
        arrived = await Promise.race([candidate, endOfTurn()]);
      } catch {
        // The stream failed: hand over what was merged; the failure comes with the next read.
        held = candidate;
        break;
      }
      if (arrived === NOT_YET || arrived.done || kindOf(arrived.value) !== kind) {
        held = candidate;
        break;
      }
      merged = merge(merged, arrived.value);
    }
    return { done: false, value: merged };
  };
  return {
    // While the process keeps up, the source's own promise: no await, no promise of its own per chunk.
    next: () => (held === undefined && !loopLag.behind ? source.next() : mergeArrived()),
    release() {
      if (released) return;
      released = true;
      loopLag.release();
    },
  };
}
