/**
 * What `review` says before and after the run: where the models are (and, for
 * the offline demo, that it is a demo and how to use a real endpoint), the
 * thread id, and the result in the chosen output mode.
 */

import type { Style, TextSink } from "../../src/cli/terminal.js";
import { fenceCode } from "../coder-reviewer/extract-code.js";
import type { CoderReviewerStateType } from "../coder-reviewer/state.js";
import { printable } from "./progress.js";
import type { ReviewSettings } from "./settings.js";
import type { PreparedTarget } from "./target.js";

/** The machine-readable result `--json` prints. */
export interface ReviewJsonResult {
  threadId: string;
  task: string;
  approved: boolean;
  /** Rounds the coder worked. */
  rounds: number;
  stopReason: CoderReviewerStateType["stopReason"];
  code: string;
  language: string | null;
  reviews: CoderReviewerStateType["reviews"];
}

/** Prints where the run goes and its thread id (human output only). */
export function printHeader(
  out: TextSink,
  style: Style,
  settings: ReviewSettings,
  target: PreparedTarget,
  threadId: string,
): void {
  const lines: string[] = [];
  if (target.kind === "demo") {
    const signer =
      target.credentialsSource === "environment"
        ? "your AWS environment credentials"
        : "credentials generated for this run";
    lines.push(
      style.yellow(
        `Offline demo: the local SageMaker OpenAI endpoint at ${target.url} serves a scripted demo model ` +
          `(not a real LLM) as inference components "coder" and "reviewer" of endpoint "agents"; ` +
          `requests carry real SigV4 bearer tokens signed with ${signer}.`,
      ),
      style.dim(
        "For a real endpoint: set AWS_REGION and SAGEMAKER_ENDPOINT_NAME (plus SAGEMAKER_CODER_COMPONENT and " +
          "SAGEMAKER_REVIEWER_COMPONENT), or pass --region, --endpoint, --coder-component, --reviewer-component.",
      ),
    );
  } else {
    const via = target.url === undefined ? "" : ` via ${target.url}`;
    lines.push(
      `Coder: ${target.labels.coder} · Reviewer: ${target.labels.reviewer} (${target.region}${via})`,
    );
  }
  const resumed = settings.resume === undefined ? "" : " (resumed from its last finished step)";
  lines.push(style.dim(`Thread ${threadId}${resumed}, saved in ${settings.statePath}`));
  out.write(`${lines.join("\n")}\n`);
}

/** The `--json` result for a finished state. */
export function jsonResult(threadId: string, state: CoderReviewerStateType): ReviewJsonResult {
  return {
    threadId,
    task: state.task,
    approved: state.approved,
    rounds: state.round,
    stopReason: state.stopReason,
    code: state.code,
    language: state.language,
    reviews: state.reviews,
  };
}

/**
 * Prints the finished run: the JSON result, the code alone (`--quiet`), or the
 * outcome, the code and (unless `reviewShown`: the progress already printed it)
 * the last review.
 */
export function printResult(
  out: TextSink,
  settings: ReviewSettings,
  threadId: string,
  state: CoderReviewerStateType,
  style: Style,
  reviewShown = false,
): void {
  if (settings.output === "json") {
    out.write(`${JSON.stringify(jsonResult(threadId, state))}\n`);
    return;
  }
  const code = printable(state.code);
  if (settings.output === "quiet") {
    out.write(`${code}\n`);
    return;
  }
  const rounds = `${state.round} round${state.round === 1 ? "" : "s"}`;
  const outcome = state.approved
    ? style.green(`Approved in round ${state.round}.`)
    : style.red(`Not approved after ${rounds} (the limit is --max-rounds ${settings.maxRounds}).`);
  const review = state.reviews.at(-1);
  const comments = (review?.comments ?? []).map((comment) => `  - ${printable(comment)}`);
  const reviewLines = reviewShown
    ? []
    : [
        style.bold(`Review (round ${review?.round ?? state.round}):`),
        ...(comments.length > 0 ? comments : ["  (no comments)"]),
        "",
      ];
  out.write(
    [
      "",
      style.bold("Result: ") + outcome,
      "",
      style.bold("Final code:"),
      fenceCode(code, state.language ?? ""),
      "",
      ...reviewLines,
      style.dim(`Thread ${threadId}`),
      "",
    ].join("\n"),
  );
}
