/**
 * The lifecycle EventBridge bus the three ingress nets publish to, and its rule -> dispatch, which
 * starts one user-reconcile run per event (deterministic name). EventBridge retries delivery for a
 * day and dead-letters what it cannot deliver; Lambda retries a failed dispatch twice and then
 * dead-letters it into the same queue.
 */
import { asyncFailureDestination, deadLetterQueue } from "./dead-letter-queue.ts";
import { lambdaFunction } from "./lambda-function.ts";
import type { ResourceNames } from "./names.ts";
import type { PermissionFacts } from "./permissions.ts";
import { leastPrivilegeRole } from "./roles.ts";
import { RUNTIME_CONTRACT } from "./runtime-contract.ts";
import type { Tables } from "./tables.ts";

export function lifecycleBus(names: ResourceNames) {
  return new aws.cloudwatch.EventBus("LifecycleBus", { name: names.bus });
}

/** EventBridge target retries: the longest EventBridge allows, so an outage of a day loses nothing. */
export const EVENTBRIDGE_RETRY = { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 };

/** A rule on `bus` matching `pattern`, targeting `fn` with retries, a DLQ and the invoke permission. */
export function ruleToFunction(
  id: string,
  args: {
    name: string;
    bus: $util.Input<string>;
    pattern: Record<string, unknown>;
    fn: sst.aws.Function;
    deadLetters: aws.sqs.Queue;
  },
) {
  const rule = new aws.cloudwatch.EventRule(id, {
    name: args.name,
    eventBusName: args.bus,
    eventPattern: JSON.stringify(args.pattern),
  });
  new aws.cloudwatch.EventTarget(`${id}Target`, {
    rule: rule.name,
    eventBusName: args.bus,
    arn: args.fn.arn,
    retryPolicy: EVENTBRIDGE_RETRY,
    deadLetterConfig: { arn: args.deadLetters.arn },
  });
  new aws.lambda.Permission(`${id}Invoke`, {
    action: "lambda:InvokeFunction",
    function: args.fn.name,
    principal: "events.amazonaws.com",
    sourceArn: rule.arn,
  });
  asyncFailureDestination(`${id}AsyncFailures`, args.fn, args.deadLetters);
  return rule;
}

export function dispatch(deps: {
  names: ResourceNames;
  facts: $util.Output<PermissionFacts>;
  bus: aws.cloudwatch.EventBus;
  userReconcileArn: $util.Input<string>;
  tables: Tables;
}) {
  const { names } = deps;
  const fn = lambdaFunction("Dispatch", {
    name: names.functions.dispatch,
    handler: "functions/dispatch/handler.handler",
    role: leastPrivilegeRole("dispatch", deps.facts),
    timeout: "30 seconds",
    environment: {
      USER_RECONCILE_ARN: deps.userReconcileArn,
      STATE_TABLE: deps.tables.state.name,
      POWERTOOLS_SERVICE_NAME: "dispatch",
    },
  });
  const deadLetters = deadLetterQueue("DispatchDeadLetters", names.queues.dispatch, deps.facts, {
    forEventBridgeRule: true,
  });
  ruleToFunction("LifecycleToDispatch", {
    name: names.rules.lifecycle,
    bus: deps.bus.name,
    pattern: {
      source: [RUNTIME_CONTRACT.lifecycleSource],
      "detail-type": [RUNTIME_CONTRACT.lifecycleDetailType],
    },
    fn,
    deadLetters,
  });
  return { fn, deadLetters };
}
