import { MAX_TASK_CHARS } from "../coder-reviewer/constants.js";

/** The `review` command's help text. */
export const USAGE = `Usage: sagemaker-openai-agents review "Write a function that ..." [options]
       sagemaker-openai-agents review - [options] < task.txt
       sagemaker-openai-agents review --task-file FILE [options]
       sagemaker-openai-agents review --resume THREAD [options]
       sagemaker-openai-agents review --list [--json] [--state FILE|URL]

Runs the coder/reviewer agents on a task: the coder writes code (with a calculator),
the reviewer checks it (with a syntax check) and approves it or asks for changes,
for up to --max-rounds rounds. Progress streams to the terminal; each finished step
is saved before the next begins, so a run that stops (even killed) can continue
with --resume from its last finished step.

Without endpoint settings it runs offline: the local SageMaker OpenAI endpoint
starts in this process with the demo model (a scripted stand-in) on inference
components "coder" and "reviewer" of endpoint "agents".

The task: one argument (quote it), "-" to read it from standard input, or
--task-file FILE; at most ${MAX_TASK_CHARS.toLocaleString("en-US")} characters.

Where the models are (flags win over the environment):
  --region REGION              AWS_REGION, AWS_DEFAULT_REGION, then the profile's region
  --endpoint NAME              SAGEMAKER_ENDPOINT_NAME
  --coder-component NAME       SAGEMAKER_CODER_COMPONENT (default: the endpoint itself)
  --reviewer-component NAME    SAGEMAKER_REVIEWER_COMPONENT (default: the endpoint itself)
  --base-url URL               a local endpoint, proxy or VPC endpoint instead of SageMaker's
                               runtime host (https, or http to loopback); without --endpoint
                               it assumes endpoint "agents" with components "coder"/"reviewer"
  --allow-insecure-http        let --base-url be plain http to a host other than this machine
                               (the bearer tokens then cross the network unencrypted)
Credentials: the AWS default chain (environment, AWS_PROFILE, SSO, instance role), from the
optional package @aws-sdk/credential-provider-node (npm install it next to this one).

Run options:
  --task-file FILE             read the task from FILE ("-": standard input)
  --max-rounds N               rounds before stopping without approval (default 3)
  --max-retries N              retries per model call after the first attempt
  --state FILE|URL             where runs are saved: an SQLite file, created 0600 (default
                               $XDG_DATA_HOME/sagemaker-openai-agents/state.sqlite,
                               else ~/.local/share/sagemaker-openai-agents/state.sqlite),
                               or a postgresql:// URL (tables created on first use; give the
                               password in PGPASSWORD rather than in the URL)
  --thread ID                  save the new run under this id (1-128 letters, digits, . _ -),
                               to resume it by name; an id already in the store: exit 2
  --resume THREAD              continue a saved run from its last finished step, against
                               the target it was started with (a different one: exit 2);
                               one already running elsewhere: THREAD_BUSY, exit 1
  --list                       list the saved runs: thread, start time, status (running,
                               approved, not approved, failed, interrupted), rounds, task
  --json                       print one JSON result: { threadId, approved, rounds, code, reviews, ... }
                               (with --list: a JSON array of { threadId, startedAt, task, rounds, status })
  -q, --quiet                  print only the final code
  -h, --help                   this text

Output: progress and the result on stdout (--json: one JSON document and nothing else);
errors, and on a terminal a status line for slow steps, on stderr. Colour on a terminal,
off with NO_COLOR or TERM=dumb, forced on with FORCE_COLOR=1 (FORCE_COLOR=0: off).

Exit status: 0 approved, 3 finished without approval, 1 failed (resumable), 2 bad usage
or a --state that cannot be used (STATE_FILE_UNAVAILABLE, STATE_DATABASE_UNAVAILABLE),
130 interrupted (resumable).
`;
