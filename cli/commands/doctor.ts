import type { Command } from "commander";
import { runDoctor } from "../doctor/run-doctor.ts";
import { DEFAULT_DOCTOR_OPTIONS, type DoctorOptions, resolveDoctorTargets } from "../doctor/targets.ts";
import { addScpQuotaFlags } from "../scp-quota-flags.ts";

/**
 * `okta-aws-lifecycle doctor`: checks a deployment (or the local stack) end to end and prints what is
 * wrong and how to fix it; exit 1 on any problem.
 */
export async function doctor(
  options: DoctorOptions,
  env: Record<string, string | undefined> = process.env,
): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  try {
    const report = await runDoctor(await resolveDoctorTargets(options, env));
    return { stdout: report.stdout, stderr: "", exitCode: report.exitCode };
  } catch (error) {
    return { stdout: "", stderr: `doctor: ${(error as Error).message}\n`, exitCode: 1 };
  }
}

export function registerDoctor(program: Command): void {
  const command = program
    .command("doctor")
    .description(
      "Check a deployment end to end: Okta hook active and verified, Identity Center reachable, SCPs, evidence Object Lock, poller cursor fresh, and policy change events when the policy is in S3.",
    )
    .option(
      "--okta-org-url <url>",
      "check a deployment in this Okta org; without it, the local stack (npm start)",
    )
    .option(
      "--okta-token-env <name>",
      "environment variable holding the Okta API token",
      DEFAULT_DOCTOR_OPTIONS.oktaTokenEnv,
    )
    .option("--outputs <file>", "outputs of `npx sst deploy`", DEFAULT_DOCTOR_OPTIONS.outputs)
    .option("--region <region>", "Identity Center's home region (default: the AWS profile's)")
    .option("--hook-name <name>", "the Okta event hook's name", DEFAULT_DOCTOR_OPTIONS.hookName)
    .option("--hook-url <url>", "the hook endpoint (default: hookUrl from the outputs)")
    .option("--state-table <name>", "the state table (default: stateTable from the outputs)")
    .option("--evidence-bucket <name>", "the evidence bucket (default: evidenceBucket from the outputs)")
    .option("--instance-arn <arn>", "Identity Center instance (default: instanceArn from the outputs)")
    .option("--identity-store-id <id>", "identity store (default: identityStoreId from the outputs)")
    .option(
      "--policy <location>",
      "the deployment's OAL_POLICY, s3://bucket/key or file:path (default: policyLocation from the outputs)",
    )
    .option(
      "--poll-minutes <n>",
      "minutes between System Log polls (OAL_POLL_MINUTES)",
      Number,
      DEFAULT_DOCTOR_OPTIONS.pollMinutes,
    )
    .option(
      "--revocation-scp-ids <ids>",
      "the revocation SCP slots, comma-separated (default: revocationScpIds from the outputs; else found by name)",
    )
    .option("--endpoints <file>", "the local stack's endpoints file", DEFAULT_DOCTOR_OPTIONS.endpoints);
  addScpQuotaFlags(command).action(async (options: DoctorOptions) => {
    const result = await doctor(options);
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.exitCode;
  });
}
