/**
 * The estate reconcile (the third net) as a Standard state machine with Lambda tasks, started
 * by EventBridge Scheduler (and by the event triggers of infra/estate-triggers.ts). Its definition
 * comes from workflows/estate-reconcile.ts through the typed hook {@link EstateReconcileWorkflow}
 * (sst.config.ts builds it); without one, no estate resources are created. The task functions are
 * `functions/estate-reconcile/handler.<task>`, with the user-reconcile environment plus `WORK_BUCKET`
 * (the scratch bucket, infra/work-bucket.ts).
 */
import type { StateMachineDefinition } from "../workflows/asl.ts";
import { deadLetterQueue } from "./dead-letter-queue.ts";
import { lambdaFunction } from "./lambda-function.ts";
import { loggedStateMachine } from "./logged-state-machine.ts";
import { estateTaskFunctionName, type ResourceNames } from "./names.ts";
import type { DeploymentParameters } from "./parameters.ts";
import { ESTATE_TASK_ROLES, type PermissionFacts } from "./permissions.ts";
import { leastPrivilegeRole } from "./roles.ts";
import type { Secrets } from "./secrets.ts";
import type { Tables } from "./tables.ts";

/** What workflows/estate-reconcile.ts provides for the stack to deploy the estate reconcile. */
export interface EstateReconcileWorkflow {
  /**
   * The Lambda task names (camelCase). Each deploys as `<app>-<stage>-estate-<kebab-name>` from
   * `functions/estate-reconcile/handler.<name>`, with its own role (infra/permissions.ts `ESTATE_TASK_ROLES`).
   */
  tasks: readonly string[];
  /** The ASL definition, given each task's Lambda ARN by task name. */
  definition(resources: Record<string, string>): StateMachineDefinition;
  /**
   * The execution input of a scheduled run, given the schedule expression. EventBridge Scheduler fills
   * `<aws.scheduler.execution-id>` and `<aws.scheduler.scheduled-time>` placeholders in it.
   */
  scheduledInput(schedule: string): unknown;
}

export interface EstateReconcileDeps {
  names: ResourceNames;
  parameters: DeploymentParameters;
  facts: $util.Output<PermissionFacts>;
  tables: Tables;
  secrets: Secrets;
  evidenceBucketName: $util.Input<string>;
  /** Environment the task functions share with user-reconcile (infra/user-reconcile.ts). */
  environment: Record<string, $util.Input<string>>;
}

/** A task's own role (infra/permissions.ts `ESTATE_TASK_ROLES`); refuses a task it has no grants for. */
function estateTaskRole(task: string) {
  const role = ESTATE_TASK_ROLES[task as keyof typeof ESTATE_TASK_ROLES];
  if (role === undefined) {
    throw new Error(
      `estate task ${task} has no role: add it to ESTATE_TASK_ROLES and its grants to estateTask in infra/permissions.ts`,
    );
  }
  return role;
}

export function estateReconcile(deps: EstateReconcileDeps, workflow: EstateReconcileWorkflow | undefined) {
  if (workflow === undefined) return undefined;
  const { names, parameters } = deps;
  const policy = parameters.policy;
  const functions = Object.fromEntries(
    workflow.tasks.map((task) => [
      task,
      lambdaFunction(`EstateReconcile${task.charAt(0).toUpperCase()}${task.slice(1)}`, {
        name: estateTaskFunctionName(names.prefix, task),
        handler: `functions/estate-reconcile/handler.${task}`,
        role: leastPrivilegeRole(estateTaskRole(task), deps.facts),
        timeout: "15 minutes",
        memory: "1024 MB",
        environment: {
          ...deps.environment,
          // The credentials guardrail slot (OAL_CREDENTIALS_GUARDRAIL=on); empty: the sweep only shows it.
          GUARDRAIL_SCP_ID: deps.facts.apply((f) => f.guardrailScpId ?? ""),
          POWERTOOLS_SERVICE_NAME: "estate-reconcile",
        },
        ...(policy.kind === "bundled" ? { copyFiles: [{ from: policy.path }] } : {}),
      }),
    ]),
  );
  const stateMachine = loggedStateMachine("EstateReconcile", {
    name: names.stateMachines.estateReconcile,
    logGroupName: names.stateMachineLogGroups.estateReconcile,
    roleArn: leastPrivilegeRole("estate-reconcile-workflow", deps.facts).arn,
    definition: $resolve(Object.fromEntries(Object.entries(functions).map(([t, fn]) => [t, fn.arn]))).apply(
      (arns) => JSON.stringify(workflow.definition(arns as Record<string, string>)),
    ),
  });
  // The schedule's and the event triggers' dead letters (infra/estate-triggers.ts); the id is kept
  // from when only the schedule used it, so the queue is not replaced.
  const deadLetters = deadLetterQueue("EstateScheduleDeadLetters", names.queues.estateReconcile, deps.facts, {
    forEventBridgeRule: true,
  });
  const schedule = new aws.scheduler.Schedule("EstateReconcileSchedule", {
    name: names.schedules.estateReconcile,
    scheduleExpression: parameters.estateSchedule,
    flexibleTimeWindow: { mode: "OFF" },
    target: {
      arn: stateMachine.arn,
      roleArn: leastPrivilegeRole("estate-schedule", deps.facts).arn,
      input: JSON.stringify(workflow.scheduledInput(parameters.estateSchedule)),
      retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      deadLetterConfig: { arn: deadLetters.arn },
    },
  });
  return { functions, stateMachine, deadLetters, schedule };
}

export type EstateReconcile = ReturnType<typeof estateReconcile>;
