/**
 * Whether anyone reads the graph's token events. The nodes forward each model answer piece
 * by piece to LangGraph's `writer`, which keeps them only when the caller streams the
 * `custom` mode; streaming every answer for nobody costs CPU per chunk (at a thousand
 * concurrent runs, most of the process's CPU). A node cannot tell: LangGraph always gives
 * it a `writer`, and keeps the caller's stream modes to itself (only a `subgraphs: true`
 * stream shows them to nodes, under an internal key). So the compiled graph's `stream`,
 * which `invoke`, `batch` and `streamEvents` go through, reads the caller's `streamMode`
 * there and tells the nodes in `configurable`.
 *
 * When in doubt the answer is "someone listens" (today's streaming): an entry point that
 * skips `stream`, a copy of the graph made without {@link markTokenListeners}, or a writer
 * handed in from outside. A LangGraph change can then cost speed, never events.
 */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";

/**
 * The `configurable` key the graph's `stream` sets for its nodes. The `__` prefix keeps it
 * out of LangSmith metadata (LangChain copies other plain `configurable` values there).
 */
const TOKEN_EVENTS_KEY = "__coder_reviewer_token_events";

/** What a node reads: false only when the run's caller certainly does not read `custom` events. */
export function tokenEventsWanted(config: LangGraphRunnableConfig): boolean {
  return config.configurable?.[TOKEN_EVENTS_KEY] !== false;
}

/** The stream options the graph's entry point sees (as `invoke` passes them to `stream`). */
interface StreamOptions {
  streamMode?: unknown;
  writer?: unknown;
  configurable?: Record<string, unknown>;
}

/** Whether a run started with `options` can deliver `custom` events to a reader. */
function callerReadsCustom(options: StreamOptions | undefined, graphModes: unknown): boolean {
  // A writer handed in (a parent graph's, when this graph runs as its node) may forward our
  // events to a reader this run cannot see.
  if (options?.writer !== undefined) return true;
  // Without `streamMode` LangGraph streams the graph's own default modes.
  const modes = options?.streamMode ?? graphModes;
  return Array.isArray(modes) ? modes.includes("custom") : modes === "custom";
}

/** The graph's methods this module wraps. */
interface Wrappable {
  streamMode: unknown;
  stream(input: never, options?: never): unknown;
  withConfig(config: never): unknown;
}

/**
 * Makes `graph` tell its nodes, on every run, whether its caller reads `custom` events (see
 * {@link tokenEventsWanted}). Copies made with `withConfig` do the same. Returns `graph`.
 */
export function markTokenListeners<G extends Wrappable>(graph: G): G {
  const stream = graph.stream.bind(graph) as (input: unknown, options?: StreamOptions) => unknown;
  const withConfig = graph.withConfig.bind(graph) as (config: unknown) => G;
  const marked = {
    stream(input: unknown, options?: StreamOptions) {
      const wanted = callerReadsCustom(options, graph.streamMode);
      return stream(input, {
        ...options,
        configurable: { ...options?.configurable, [TOKEN_EVENTS_KEY]: wanted },
      });
    },
    withConfig: (config: unknown) => markTokenListeners(withConfig(config)),
  };
  return Object.assign(graph, marked as Pick<G, "stream" | "withConfig">);
}
