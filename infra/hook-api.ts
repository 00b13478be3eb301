/**
 * The Okta event hook endpoint: API Gateway HTTP API `GET|POST /okta/events` -> okta-hook. GET answers
 * Okta's one-time verification; POST takes deliveries. The stage is throttled (Okta delivers in
 * batches, at most a few calls a second even on a busy day; a flood beyond the limits gets 429, which
 * Okta does not retry, but the System Log poller and the estate reconcile still converge), and the
 * function has reserved concurrency (`OAL_HOOK_RESERVED_CONCURRENCY`, 10 by default): a flood of forged
 * deliveries cannot take the account's concurrency from the workflow's functions, nor they from it.
 */
import { lambdaFunction } from "./lambda-function.ts";
import type { ResourceNames } from "./names.ts";
import type { DeploymentParameters } from "./parameters.ts";
import type { PermissionFacts } from "./permissions.ts";
import { leastPrivilegeRole } from "./roles.ts";
import type { Secrets } from "./secrets.ts";
import type { Tables } from "./tables.ts";

export interface HookApiDeps {
  names: ResourceNames;
  parameters: DeploymentParameters;
  facts: $util.Output<PermissionFacts>;
  tables: Tables;
  secrets: Secrets;
  bus: aws.cloudwatch.EventBus;
}

export function hookApi(deps: HookApiDeps) {
  const { names, parameters } = deps;
  const fn = lambdaFunction("OktaHook", {
    name: names.functions["okta-hook"],
    handler: "functions/okta-hook/handler.handler",
    role: leastPrivilegeRole("okta-hook", deps.facts),
    // Okta waits 3 s; the handler answers well inside that or Okta retries once.
    timeout: "10 seconds",
    memory: "1024 MB",
    reservedConcurrency: parameters.hookReservedConcurrency,
    environment: {
      LIFECYCLE_BUS_NAME: deps.bus.name,
      IDEMPOTENCY_TABLE: deps.tables.idempotency.name,
      HOOK_SECRET_IDS: deps.secrets.hookSecretIds,
      PROVISIONING_APP_IDS: parameters.provisioningAppIds.join(","),
      PIPELINE_ACTOR_IDS: parameters.pipelineActorIds.join(","),
      POWERTOOLS_SERVICE_NAME: "okta-hook",
    },
  });
  const api = new sst.aws.ApiGatewayV2("HookApi", {
    accessLog: { retention: "3 months" },
    transform: {
      stage: (stage) => {
        stage.defaultRouteSettings = {
          throttlingRateLimit: parameters.hookRateLimit,
          throttlingBurstLimit: parameters.hookBurstLimit,
        };
      },
    },
  });
  api.route("GET /okta/events", fn.arn);
  api.route("POST /okta/events", fn.arn);
  return { api, fn, hookUrl: $interpolate`${api.url}/okta/events` };
}

export type HookApi = ReturnType<typeof hookApi>;
