/**
 * The optional second net: Okta Log Streaming to an EventBridge partner event source. Off unless
 * `OAL_LOG_STREAMING_SOURCE` names the source Okta created in this account and region (Okta Admin >
 * Reports > Log Streaming > AWS EventBridge). The stack associates it with a partner event bus and
 * routes only the lifecycle event types to okta-logstream (Log Streaming sends every System Log event:
 * filtering in the rule keeps the other millions from invoking anything), by source and event type
 * only (infra/log-streaming-pattern.ts).
 */
import { deadLetterQueue } from "./dead-letter-queue.ts";
import { lambdaFunction } from "./lambda-function.ts";
import { ruleToFunction } from "./lifecycle-bus.ts";
import { logStreamingPattern } from "./log-streaming-pattern.ts";
import type { ResourceNames } from "./names.ts";
import type { DeploymentParameters } from "./parameters.ts";
import type { PermissionFacts } from "./permissions.ts";
import { leastPrivilegeRole } from "./roles.ts";
import type { Tables } from "./tables.ts";

export function logStreaming(deps: {
  names: ResourceNames;
  parameters: DeploymentParameters;
  facts: $util.Output<PermissionFacts>;
  tables: Tables;
  bus: aws.cloudwatch.EventBus;
}) {
  const source = deps.parameters.logStreamingSource;
  if (source === undefined) return undefined;
  const { names } = deps;
  const partnerBus = new aws.cloudwatch.EventBus("OktaPartnerBus", { name: source, eventSourceName: source });
  const fn = lambdaFunction("OktaLogStream", {
    name: names.functions["okta-logstream"],
    // functions/okta-logstream/handler.ts (the ingress issue); SST bundles it at deploy time.
    handler: "functions/okta-logstream/handler.handler",
    role: leastPrivilegeRole("okta-logstream", deps.facts),
    timeout: "30 seconds",
    environment: {
      LIFECYCLE_BUS_NAME: deps.bus.name,
      IDEMPOTENCY_TABLE: deps.tables.idempotency.name,
      PROVISIONING_APP_IDS: deps.parameters.provisioningAppIds.join(","),
      PIPELINE_ACTOR_IDS: deps.parameters.pipelineActorIds.join(","),
      POWERTOOLS_SERVICE_NAME: "okta-logstream",
    },
  });
  const deadLetters = deadLetterQueue("LogStreamDeadLetters", names.queues.logstream, deps.facts, {
    forEventBridgeRule: true,
  });
  ruleToFunction("OktaLogStreaming", {
    name: names.rules.logStreaming,
    bus: partnerBus.name,
    pattern: logStreamingPattern(source),
    fn,
    deadLetters,
  });
  return { fn, deadLetters, partnerBus };
}

export type LogStreaming = ReturnType<typeof logStreaming>;
