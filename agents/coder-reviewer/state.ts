/**
 * The coder/reviewer graph's state. It is what gets checkpointed, so it holds
 * only the work (task, code, reviews, verdict, round): no model, client,
 * token or credential ever enters it.
 *
 * Why zod through LangGraph's `StateSchema`: the state then carries its own JSON
 * Schema, so LangGraph's server (`/assistants/{id}/schemas`, what Studio shows)
 * reads it at runtime in milliseconds, with every field typed down to the review
 * items. Declared as TypeScript types only, the server had to extract the schema
 * with the TypeScript compiler (9-36 s) and left the review items untyped.
 */
import { ReducedValue, StateSchema } from "@langchain/langgraph";
import { z } from "zod";

/** Why the run stopped. */
export type CoderReviewerStopReason = "approved" | "max_rounds";

/** The schema of one {@link Review}. */
export const ReviewSchema = z.object({
  round: z.number().int().min(1).describe("The round whose code was reviewed (1-based)."),
  approved: z.boolean().describe("Whether the reviewer approved the code of that round."),
  comments: z.array(z.string()).describe("What the reviewer asked to change, one item each."),
  source: z
    .enum(["structured", "text", "undecided"])
    .describe(
      "How the verdict was obtained: structured (the model's structured output), text (read " +
        "from the reviewer's prose because structured output failed or was unusable), or " +
        "undecided (no verdict could be read; counted as changes requested).",
    ),
});

/**
 * One review: the verdict of one round. `source` says how the verdict was obtained:
 * `structured` (the model's structured output), `text` (read from the reviewer's prose) or
 * `undecided` (none could be read; counted as changes requested).
 */
export type Review = z.infer<typeof ReviewSchema>;

const STOP_REASONS = [
  "approved",
  "max_rounds",
] as const satisfies readonly CoderReviewerStopReason[];

/** The state channels of the coder/reviewer graph, with their JSON Schema. */
export const CoderReviewerState = new StateSchema({
  task: z.string().describe("What to build (the user's request)."),
  code: z
    .string()
    .default("")
    .describe('The latest code the coder wrote ("" before the first round).'),
  language: z
    .string()
    .nullable()
    .default(null)
    .describe("The fence tag of the latest code, when the coder gave one."),
  round: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe("The coder's current round: 1 after the first draft."),
  approved: z.boolean().default(false).describe("Whether the reviewer approved the latest code."),
  reviews: new ReducedValue(
    z
      .array(ReviewSchema)
      .default(() => [])
      .describe("Every review so far, oldest first."),
    {
      inputSchema: z.array(ReviewSchema).describe("Reviews to append."),
      reducer: (old: Review[], next: Review[]) => [...old, ...next],
    },
  ),
  stopReason: z
    .enum(STOP_REASONS)
    .nullable()
    .default(null)
    .describe("Set when the run ends: approved, or max_rounds without approval."),
});

/** The graph's full state. */
export type CoderReviewerStateType = typeof CoderReviewerState.State;

/** The graph's input: at least the task. */
export type CoderReviewerInput = typeof CoderReviewerState.Update & { task: string };
