/**
 * Qwen3 reasoning: inline `<think>` blocks in content, and the fields vLLM fills when it
 * splits reasoning out itself.
 *
 * @packageDocumentation
 */
export { readReasoningField } from "./field.js";
export {
  createInlineReasoningStream,
  type InlineReasoningOptions,
  type InlineReasoningSplit,
  type InlineReasoningStream,
  splitInlineReasoning,
} from "./inline.js";
