/**
 * The event triggers of the estate reconcile besides its schedule: one EventBridge rule per trigger of
 * workflows/estate-triggers.ts (account created / moved / tagged on the lifecycle bus; the policy
 * object changed on the default bus when the policy is an S3 object; Identity Center changes made
 * outside the tool on the default bus of the home region, where the stack runs), each starting the estate state
 * machine with the trigger's input transformer. A run's input is `{runId, trigger}`
 * (usecases/reconcile-estate/run-input.ts). EventBridge retries delivery for a day and then
 * dead-letters into the estate queue, whose policy admits exactly these rules (infra/permissions.ts).
 */
import { estateEventTriggers } from "../workflows/estate-triggers.ts";
import type { EstateReconcile } from "./estate-reconcile.ts";
import { EVENTBRIDGE_RETRY } from "./lifecycle-bus.ts";
import type { ResourceNames } from "./names.ts";
import type { DeploymentParameters } from "./parameters.ts";
import type { PermissionFacts } from "./permissions.ts";
import { leastPrivilegeRole } from "./roles.ts";

const pascal = (key: string) => key.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());

export function estateTriggers(deps: {
  names: ResourceNames;
  parameters: DeploymentParameters;
  facts: $util.Output<PermissionFacts>;
  bus: aws.cloudwatch.EventBus;
  estate: NonNullable<EstateReconcile>;
}) {
  const { names, parameters, estate } = deps;
  const policy = parameters.policy;
  const triggers = estateEventTriggers(
    policy.kind === "s3" ? { bucket: policy.bucket, key: policy.key } : undefined,
    // Changes the stack's own roles make are not drift to repair (workflows/identity-center-triggers.ts).
    { toolRolePath: names.rolePath },
  );
  const role = leastPrivilegeRole("estate-events", deps.facts);
  return triggers.map((trigger) => {
    const id = `EstateOn${pascal(trigger.key)}`;
    const bus = trigger.bus === "lifecycle" ? deps.bus.name : "default";
    const rule = new aws.cloudwatch.EventRule(id, {
      name: names.rules.estateTriggers[trigger.key],
      description: trigger.description,
      eventBusName: bus,
      eventPattern: JSON.stringify(trigger.pattern),
    });
    new aws.cloudwatch.EventTarget(`${id}Target`, {
      rule: rule.name,
      eventBusName: bus,
      arn: estate.stateMachine.arn,
      roleArn: role.arn,
      inputTransformer: { inputPaths: trigger.inputPathsMap, inputTemplate: trigger.inputTemplate },
      retryPolicy: EVENTBRIDGE_RETRY,
      deadLetterConfig: { arn: estate.deadLetters.arn },
    });
    return rule;
  });
}
