/**
 * The coder's and reviewer's prompts. The system prompts follow the article
 * (an expert developer who outputs only the code; a senior reviewer who checks
 * correctness, efficiency and style); the user messages carry everything a
 * step needs, so each step stands alone and a resumed run loses nothing.
 *
 * Every user message puts the task first and the code in one fenced block, and
 * a revision request contains the word "review": the demo models' scripts
 * (src/local/backends/scripts) rely on that, and so does a real model.
 */

import { fenceCode } from "./extract-code.js";
import type { Review } from "./state.js";

/** The language settings the prompts are written for. */
export interface PromptLanguage {
  /** The name shown to the model, e.g. `Python`. */
  name: string;
  /** The fence tag, e.g. `python`. */
  tag: string;
  /** The style guide the reviewer checks against, e.g. `PEP 8`. */
  style: string;
}

/** The default: Python, as in the article. */
export const PYTHON: PromptLanguage = { name: "Python", tag: "python", style: "PEP 8" };

/** The coder's system prompt; mentions the calculator only when the coder has it. */
export function coderSystemPrompt(language: PromptLanguage, toolNames: readonly string[]): string {
  return [
    `You are an expert ${language.name} developer.`,
    `Write clean, correct, efficient, well-documented ${language.name} code with type hints and docstrings.`,
    toolNames.includes("calculator")
      ? "Use the calculator tool for any arithmetic instead of working it out yourself."
      : "",
    `Output ONLY the code, in a single fenced \`\`\`${language.tag} block, with no explanation before or after it.`,
  ]
    .filter((line) => line !== "")
    .join(" ");
}

/** The reviewer's system prompt; mentions the syntax check only when the reviewer has it. */
export function reviewerSystemPrompt(
  language: PromptLanguage,
  toolNames: readonly string[],
): string {
  return [
    "You are a senior code reviewer.",
    `Review ${language.name} code for correctness, efficiency and ${language.style} style.`,
    toolNames.includes("syntax_check")
      ? "Use the syntax_check tool to confirm that the code parses before you judge it."
      : "",
    "Give a concise review with specific, actionable suggestions.",
    "Approve only code that is correct and needs no further change.",
    'Start your answer with "APPROVED:" or "CHANGES REQUESTED:", followed by your comments.',
  ]
    .filter((line) => line !== "")
    .join(" ");
}

/** The coder's first message: the task alone. */
export function firstDraftMessage(task: string): string {
  return task;
}

function bullets(comments: readonly string[]): string {
  return comments.length > 0
    ? comments.map((comment) => `- ${comment}`).join("\n")
    : "- (the reviewer gave no details; improve correctness and input validation)";
}

/** The coder's revision message: the task, the previous version and the review comments. */
export function revisionMessage(
  task: string,
  code: string,
  review: Review,
  language: PromptLanguage,
): string {
  return [
    `Task:\n${task}`,
    `Your previous version:\n${fenceCode(code, language.tag)}`,
    `Reviewer comments (round ${review.round}):\n${bullets(review.comments)}`,
    `Revise the code so that it addresses every review comment. Output ONLY the complete revised code in a single fenced \`\`\`${language.tag} block.`,
  ].join("\n\n");
}

/** The reviewer's message: the task and the code to review. */
export function reviewMessage(
  task: string,
  code: string,
  round: number,
  language: PromptLanguage,
): string {
  return [
    `Task:\n${task}`,
    `Code to review (round ${round}):\n${fenceCode(code, language.tag)}`,
    "Check correctness, efficiency and style, then give your verdict.",
  ].join("\n\n");
}
