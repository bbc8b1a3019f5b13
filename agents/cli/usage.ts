/** The `review` command's help text. */
export const USAGE = `Usage: sagemaker-openai-agents review "Write a function that ..." [options]
       sagemaker-openai-agents review --resume THREAD [options]

Runs the coder/reviewer agents on a task: the coder writes code (with a calculator),
the reviewer checks it (with a syntax check) and approves it or asks for changes,
for up to --max-rounds rounds. Progress streams to the terminal; every step is
saved, so a run that stops can continue with --resume.

Without endpoint settings it runs offline: the local SageMaker OpenAI endpoint
starts in this process with the demo model (a scripted stand-in) on inference
components "coder" and "reviewer" of endpoint "agents".

Where the models are (flags win over the environment):
  --region REGION              AWS_REGION, AWS_DEFAULT_REGION, then the profile's region
  --endpoint NAME              SAGEMAKER_ENDPOINT_NAME
  --coder-component NAME       SAGEMAKER_CODER_COMPONENT (default: the endpoint itself)
  --reviewer-component NAME    SAGEMAKER_REVIEWER_COMPONENT (default: the endpoint itself)
  --base-url URL               a local endpoint, proxy or VPC endpoint instead of SageMaker's
                               runtime host (https, or http to loopback); without --endpoint
                               it assumes endpoint "agents" with components "coder"/"reviewer"
Credentials: the AWS default chain (environment, AWS_PROFILE, SSO, instance role).

Run options:
  --max-rounds N               rounds before stopping without approval (default 3)
  --max-retries N              retries per model call after the first attempt
  --state FILE                 checkpoint database (default
                               $XDG_DATA_HOME/sagemaker-openai-agents/state.sqlite,
                               else ~/.local/share/sagemaker-openai-agents/state.sqlite)
  --resume THREAD              continue a saved run from its last finished step, against
                               the target it was started with (a different one: exit 2)
  --json                       print one JSON result: { threadId, approved, rounds, code, reviews, ... }
  -q, --quiet                  print only the final code
  -h, --help                   this text

Exit status: 0 approved, 3 finished without approval, 1 failed (resumable), 2 bad usage,
130 interrupted (resumable). NO_COLOR or a non-terminal output turns colour off.
`;
