import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { z } from "zod";
import { createIdempotentPublisher } from "../../adapters/idempotent-publisher.ts";
import { LifecycleBus } from "../../adapters/lifecycle-bus.ts";
import { DEFAULT_MAX_EVENT_AGE_SECONDS } from "../../core/okta/staleness.ts";
import { normalizeConfigSchema, normalizeOptionsOf } from "../shared/normalize-config.ts";
import { readConfig } from "../shared/read-config.ts";
import { createOktaLogStreamHandler } from "./create-handler.ts";

const config = readConfig(
  z.object({
    LIFECYCLE_BUS_NAME: z.string().min(1, "the lifecycle EventBridge bus name"),
    IDEMPOTENCY_TABLE: z.string().min(1, "the DynamoDB idempotency table name (shared with okta-hook)"),
    ...normalizeConfigSchema,
    MAX_EVENT_AGE_SECONDS: z.coerce.number().int().positive().default(DEFAULT_MAX_EVENT_AGE_SECONDS),
  }),
);

/** Lambda entry: target of the Okta partner event bus rule (Log Streaming). */
export const handler = createOktaLogStreamHandler({
  logger: new Logger({ serviceName: "okta-logstream" }),
  metrics: new Metrics({ namespace: "OktaAwsLifecycle", serviceName: "okta-logstream" }),
  normalizeOptions: normalizeOptionsOf(config),
  publish: createIdempotentPublisher({
    bus: new LifecycleBus({ client: new EventBridgeClient({}), busName: config.LIFECYCLE_BUS_NAME }),
    client: new DynamoDBClient({}),
    tableName: config.IDEMPOTENCY_TABLE,
  }),
  now: () => new Date().toISOString(),
  maxEventAgeSeconds: config.MAX_EVENT_AGE_SECONDS,
});
