/**
 * Hermes-format tool calls in model text: a one-shot parser and a streaming one.
 *
 * @packageDocumentation
 */
export { ParserFinishedError } from "./errors.js";
export { parseHermesToolCalls } from "./parse.js";
export {
  createHermesStreamParser,
  type HermesStreamFinish,
  type HermesStreamParser,
  type HermesStreamUpdate,
} from "./stream.js";
export type {
  HermesInvalidToolCall,
  HermesParseOptions,
  HermesParseResult,
  HermesToolCall,
  HermesToolCallChunk,
} from "./types.js";
