/**
 * `OAL_MEMBERSHIP_SYNC` decides whether the workflows' roles may add Identity Center group memberships
 * (infra/permissions.ts). The policy's `ownership.membershipSync` decides whether the planner plans any.
 * When the policy is bundled the deploy reads it and refuses to go on if the two disagree; an S3 policy
 * changes without a deploy, so there the plan check (core/plan/check-plan-scope.ts) and AccessDenied
 * are what stop a plan the deployment did not grant.
 */
import { loadPolicy } from "../core/policy/load-policy.ts";
import { DeploymentParameterError, type DeploymentParameters } from "./parameters.ts";

/** Throws a DeploymentParameterError when the bundled policy and `OAL_MEMBERSHIP_SYNC` disagree. */
export function checkMembershipSync(
  parameters: DeploymentParameters,
  readFile: (path: string) => string,
): void {
  if (parameters.policy.kind !== "bundled") return;
  const { path } = parameters.policy;
  const loaded = loadPolicy(readFile(path), path);
  if (!loaded.ok) {
    throw new DeploymentParameterError(
      `OAL_POLICY: ${path} is not a valid policy (run \`okta-aws-lifecycle policy validate ${path}\`):\n` +
        loaded.errors.map((e) => `  ${e.file}:${e.line}:${e.column} ${e.path}: ${e.message}`).join("\n"),
    );
  }
  const inPolicy = loaded.policy.ownership.membershipSync;
  if (inPolicy !== parameters.membershipSync) {
    throw new DeploymentParameterError(
      `OAL_MEMBERSHIP_SYNC is ${parameters.membershipSync ? "on" : "off"} but ${path} has ` +
        `ownership.membershipSync: ${inPolicy}: set OAL_MEMBERSHIP_SYNC=${inPolicy ? "on" : "off"} ` +
        "(it grants identitystore:CreateGroupMembership to the workflows) or change the policy",
    );
  }
}
