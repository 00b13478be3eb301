/**
 * The third net's first half: the System Log poller, run by EventBridge Scheduler every few minutes.
 * It follows the persisted `next` link (state table, partition `cursor`). The schedule retries and
 * dead-letters into the poller's queue; so does Lambda after its own async retries.
 */
import { asyncFailureDestination, deadLetterQueue } from "./dead-letter-queue.ts";
import { lambdaFunction } from "./lambda-function.ts";
import type { ResourceNames } from "./names.ts";
import type { DeploymentParameters } from "./parameters.ts";
import type { PermissionFacts } from "./permissions.ts";
import { leastPrivilegeRole } from "./roles.ts";
import type { Secrets } from "./secrets.ts";
import type { Tables } from "./tables.ts";

export function logPoller(deps: {
  names: ResourceNames;
  parameters: DeploymentParameters;
  facts: $util.Output<PermissionFacts>;
  tables: Tables;
  secrets: Secrets;
  bus: aws.cloudwatch.EventBus;
}) {
  const { names, parameters } = deps;
  const fn = lambdaFunction("OktaLogPoll", {
    name: names.functions["okta-log-poll"],
    // functions/okta-log-poll/handler.ts (the ingress issue); SST bundles it at deploy time.
    handler: "functions/okta-log-poll/handler.handler",
    role: leastPrivilegeRole("okta-log-poll", deps.facts),
    timeout: "5 minutes",
    environment: {
      OKTA_ORG_URL: parameters.oktaOrgUrl,
      ...deps.secrets.oktaEnvironment,
      LIFECYCLE_BUS_NAME: deps.bus.name,
      IDEMPOTENCY_TABLE: deps.tables.idempotency.name,
      STATE_TABLE: deps.tables.state.name,
      PROVISIONING_APP_IDS: parameters.provisioningAppIds.join(","),
      PIPELINE_ACTOR_IDS: parameters.pipelineActorIds.join(","),
      POWERTOOLS_SERVICE_NAME: "okta-log-poll",
    },
  });
  const deadLetters = deadLetterQueue("PollerDeadLetters", names.queues.poller, deps.facts, {
    forEventBridgeRule: false,
  });
  asyncFailureDestination("OktaLogPollAsyncFailures", fn, deadLetters);
  const schedule = new aws.scheduler.Schedule("OktaLogPollSchedule", {
    name: names.schedules.poller,
    scheduleExpression: `rate(${parameters.pollMinutes} minute${parameters.pollMinutes === 1 ? "" : "s"})`,
    flexibleTimeWindow: { mode: "OFF" },
    target: {
      arn: fn.arn,
      roleArn: leastPrivilegeRole("poller-schedule", deps.facts).arn,
      // A missed poll is caught up by the next one (the cursor): retry briefly, then dead-letter.
      retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: parameters.pollMinutes * 60 },
      deadLetterConfig: { arn: deadLetters.arn },
    },
  });
  return { fn, deadLetters, schedule };
}

export type LogPoller = ReturnType<typeof logPoller>;
