/**
 * user-reconcile: the very ASL definition the local stack runs (workflows/user-reconcile.ts), deployed
 * as a Standard state machine (a run holds a leaver's Deny for hours), with one Lambda per Task
 * handler (functions/user-reconcile/handler.ts), each with its own least-privilege role. Logs at
 * ERROR level with execution data (each run's full record is the evidence), X-Ray tracing on.
 */
import { USER_RECONCILE_TASKS, userReconcileDefinition } from "../workflows/user-reconcile.ts";
import { lambdaFunction } from "./lambda-function.ts";
import { loggedStateMachine } from "./logged-state-machine.ts";
import { type ResourceNames, USER_TASK_FUNCTIONS, type UserTaskName } from "./names.ts";
import { type DeploymentParameters, policyLocationValue } from "./parameters.ts";
import type { PermissionFacts } from "./permissions.ts";
import { leastPrivilegeRole } from "./roles.ts";
import type { Secrets } from "./secrets.ts";
import type { Tables } from "./tables.ts";

export interface UserReconcileDeps {
  names: ResourceNames;
  parameters: DeploymentParameters;
  facts: $util.Output<PermissionFacts>;
  tables: Tables;
  secrets: Secrets;
  evidenceBucketName: $util.Input<string>;
  /** Extra environment for the evidence writer (the evidence issue's signing key, for example). */
  evidenceEnvironment?: Record<string, $util.Input<string>>;
}

const pascal = (task: string) => task.charAt(0).toUpperCase() + task.slice(1);

/** The environment functions/user-reconcile/handler.ts validates at cold start. */
export function userReconcileEnvironment(deps: UserReconcileDeps): Record<string, $util.Input<string>> {
  return {
    OKTA_ORG_URL: deps.parameters.oktaOrgUrl,
    ...deps.secrets.oktaEnvironment,
    STATE_TABLE: deps.tables.state.name,
    EVIDENCE_BUCKET: deps.evidenceBucketName,
    INSTANCE_ARN: deps.facts.apply((f) => f.instanceArn),
    IDENTITY_STORE_ID: deps.facts.apply((f) => f.identityStoreId),
    MANAGEMENT_ACCOUNT_ID: deps.facts.apply((f) => f.managementAccountId),
    // Where the stack runs (infra/topology.ts); delegated-admin: the management component to assume.
    TOPOLOGY: deps.facts.apply((f) => f.topology ?? "management"),
    MANAGEMENT_ROLE_ARN: deps.facts.apply((f) => f.managementComponent?.roleArn ?? ""),
    MANAGEMENT_EXTERNAL_ID: deps.facts.apply((f) => f.managementComponent?.externalId ?? ""),
    HOLD_SECONDS: String(deps.parameters.holdSeconds),
    POLICY_LOCATION: policyLocationValue(deps.parameters.policy),
    REVOCATION_SCP_IDS: deps.facts.apply((f) => f.revocationScpIds.join(",")),
    // The organization's SCP quotas (OAL_SCP_MAX_CHARS, OAL_SCP_MAX_PER_TARGET).
    SCP_MAX_CHARS: String(deps.parameters.scpMaxChars),
    SCP_MAX_PER_TARGET: String(deps.parameters.scpMaxPerTarget),
    // usecases/reconcile-user/run-scratch.ts: a run's truth, plan and outcomes, out of the state.
    WORK_BUCKET: deps.facts.apply((f) => f.workBucket ?? ""),
    POWERTOOLS_SERVICE_NAME: "user-reconcile",
    ...deps.evidenceEnvironment,
  };
}

export function userReconcile(deps: UserReconcileDeps) {
  const { names } = deps;
  const environment = userReconcileEnvironment(deps);
  const functions = Object.fromEntries(
    USER_RECONCILE_TASKS.map((task: UserTaskName) => [
      task,
      lambdaFunction(`UserReconcile${pascal(task)}`, {
        name: names.userTasks[task],
        handler: `functions/user-reconcile/handler.${task}`,
        role: leastPrivilegeRole(USER_TASK_FUNCTIONS[task], deps.facts),
        // Enforcing a Deny rewrites SCPs and inline policies; loading deletions may delete and poll the
        // management-account assignments through the management component; the credential tasks assume a
        // role in every account; everything else is a few reads.
        timeout: [
          "applyDenies",
          "liftDenies",
          "loadAssignmentDeletions",
          "revokeCredentials",
          "liftCredentialDenies",
        ].includes(task)
          ? "5 minutes"
          : "60 seconds",
        environment,
        ...(deps.parameters.policy.kind === "bundled"
          ? { copyFiles: [{ from: deps.parameters.policy.path }] }
          : {}),
      }),
    ]),
  ) as Record<UserTaskName, sst.aws.Function>;

  const stateMachine = loggedStateMachine("UserReconcile", {
    name: names.stateMachines.userReconcile,
    logGroupName: names.stateMachineLogGroups.userReconcile,
    roleArn: leastPrivilegeRole("user-reconcile-workflow", deps.facts).arn,
    definition: $resolve(
      Object.fromEntries(USER_RECONCILE_TASKS.map((task) => [task, functions[task].arn])) as Record<
        UserTaskName,
        $util.Output<string>
      >,
    ).apply((arns) => JSON.stringify(userReconcileDefinition(arns))),
  });
  return { functions, stateMachine };
}

export type UserReconcile = ReturnType<typeof userReconcile>;
