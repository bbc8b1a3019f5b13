/**
 * Deploy and clean-up, as a dry run: prints every SageMaker API call the
 * article's deployment makes (a single-model endpoint, then a coder/reviewer
 * inference-component endpoint) and the clean-up calls, without calling AWS.
 *
 *   npx tsx examples/deploy-dry-run.ts
 *
 * Uses AWS_REGION and SAGEMAKER_ROLE_ARN when set, placeholders otherwise.
 * To deploy for real, drop `dryRun: true` (it is billed until cleaned up), or
 * use the CLI: `npx sagemaker-openai-agents deploy --role-arn ARN --yes`.
 */
import {
  cleanupDeployment,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_POLL_INTERVAL_MS,
  type DeploymentPlan,
  deployEndpoint,
  formatSteps,
} from "../src/deploy/index.js";

const region = process.env.AWS_REGION ?? "us-west-2";
const roleArn =
  process.env.SAGEMAKER_ROLE_ARN ?? "arn:aws:iam::123456789012:role/SageMakerExecutionRole";
const poll = { pollIntervalMs: DEFAULT_POLL_INTERVAL_MS, maxAttempts: DEFAULT_MAX_ATTEMPTS };

async function show(title: string, plan: DeploymentPlan): Promise<void> {
  console.log(`\n=== ${title} ===`);
  const result = await deployEndpoint(plan, {
    dryRun: true,
    onProgress: (event) => {
      if (event.type === "warning") console.log(`warning: ${event.message}`);
    },
  });
  console.log(formatSteps(result.steps, poll));

  // The record lists what the deploy would create; cleanup deletes exactly that.
  const cleanup = await cleanupDeployment(result.record, { dryRun: true });
  console.log(`\n--- clean-up of ${result.record.endpointName} ---`);
  console.log(formatSteps(cleanup.steps, poll));
}

await show("Single-model endpoint (Qwen/Qwen3-4B on ml.g6.2xlarge)", { region, roleArn });

await show("Inference components: coder and reviewer on one endpoint", {
  region,
  roleArn,
  // Each component reserves one GPU, and ml.g6.2xlarge has one: two instances host both.
  instanceCount: 2,
  components: [
    { name: "coder", compute: { minMemoryRequiredInMb: 1024, numberOfCpuCoresRequired: 2 } },
    { name: "reviewer", compute: { minMemoryRequiredInMb: 1024, numberOfCpuCoresRequired: 2 } },
  ],
});
