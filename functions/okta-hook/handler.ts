import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { getSecret } from "@aws-lambda-powertools/parameters/secrets";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { z } from "zod";
import { createIdempotentPublisher } from "../../adapters/idempotent-publisher.ts";
import { LifecycleBus } from "../../adapters/lifecycle-bus.ts";
import { MAX_EVENTS_PER_DELIVERY } from "../../core/okta/hook-envelope.ts";
import { DEFAULT_MAX_EVENT_AGE_SECONDS } from "../../core/okta/staleness.ts";
import { normalizeConfigSchema, normalizeOptionsOf } from "../shared/normalize-config.ts";
import { readConfig } from "../shared/read-config.ts";
import { createOktaHookHandler } from "./create-handler.ts";
import { readHookSecrets } from "./hook-secrets.ts";

const config = readConfig(
  z.object({
    LIFECYCLE_BUS_NAME: z.string().min(1, "the lifecycle EventBridge bus name"),
    IDEMPOTENCY_TABLE: z.string().min(1, "the DynamoDB idempotency table name"),
    HOOK_SECRET_IDS: z.string().min(1, "comma-separated Secrets Manager ids of the active hook secrets"),
    ...normalizeConfigSchema,
    MAX_EVENT_AGE_SECONDS: z.coerce.number().int().positive().default(DEFAULT_MAX_EVENT_AGE_SECONDS),
    MAX_EVENTS_PER_DELIVERY: z.coerce.number().int().positive().default(MAX_EVENTS_PER_DELIVERY),
  }),
);

const secretIds = config.HOOK_SECRET_IDS.split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const logger = new Logger({ serviceName: "okta-hook" });

/** Lambda entry for `GET|POST /okta/events`. */
export const handler = createOktaHookHandler({
  logger,
  metrics: new Metrics({ namespace: "OktaAwsLifecycle", serviceName: "okta-hook" }),
  // Cached for 5 minutes by Powertools Parameters: a rotation waits that long between its steps (README).
  hookSecrets: () =>
    readHookSecrets(
      secretIds,
      (id) => getSecret<string>(id, { maxAge: 300 }),
      (secretId, error) =>
        logger.warn("a hook secret could not be read", { secretId, errorName: (error as Error).name }),
    ),
  normalizeOptions: normalizeOptionsOf(config),
  publish: createIdempotentPublisher({
    bus: new LifecycleBus({ client: new EventBridgeClient({}), busName: config.LIFECYCLE_BUS_NAME }),
    client: new DynamoDBClient({}),
    tableName: config.IDEMPOTENCY_TABLE,
  }),
  now: () => new Date().toISOString(),
  maxEventAgeSeconds: config.MAX_EVENT_AGE_SECONDS,
  maxEventsPerDelivery: config.MAX_EVENTS_PER_DELIVERY,
});
