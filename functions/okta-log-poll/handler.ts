import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { getSecret } from "@aws-lambda-powertools/parameters/secrets";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Context } from "aws-lambda";
import { z } from "zod";
import { createIdempotentPublisher } from "../../adapters/idempotent-publisher.ts";
import { LifecycleBus } from "../../adapters/lifecycle-bus.ts";
import { OKTA_SCOPES } from "../../adapters/okta/scopes.ts";
import type { SystemLogQuery } from "../../adapters/okta.ts";
import { SystemLogCursor } from "../../adapters/system-log-cursor.ts";
import { DEFAULT_MAX_EVENT_AGE_SECONDS } from "../../core/okta/staleness.ts";
import { DEFAULT_POLL_LIMITS } from "../../usecases/ingest/poll-system-log.ts";
import { lambdaDeadline } from "../shared/invocation-deadline.ts";
import { normalizeConfigSchema, normalizeOptionsOf } from "../shared/normalize-config.ts";
import { oktaAdapterSource, oktaAuthEnvSchema } from "../shared/okta-auth.ts";
import { readConfig } from "../shared/read-config.ts";
import { createOktaLogPollHandler } from "./create-handler.ts";

const count = (what: string, fallback: number) => z.coerce.number().int().positive(what).default(fallback);

const config = readConfig(
  z.object({
    OKTA_ORG_URL: z.url("https://{yourOktaDomain}"),
    LIFECYCLE_BUS_NAME: z.string().min(1, "the lifecycle EventBridge bus name"),
    IDEMPOTENCY_TABLE: z.string().min(1, "the DynamoDB idempotency table name"),
    STATE_TABLE: z.string().min(1, "the DynamoDB state table name (holds the System Log cursor)"),
    ...normalizeConfigSchema,
    MAX_EVENT_AGE_SECONDS: count("seconds", DEFAULT_MAX_EVENT_AGE_SECONDS),
    LOOKBACK_MINUTES: count("minutes of look-back on the first run", DEFAULT_POLL_LIMITS.lookbackMs / 60_000),
    MAX_PAGES: count("pages per run", DEFAULT_POLL_LIMITS.maxPages),
    MAX_EVENTS: count("events per run", DEFAULT_POLL_LIMITS.maxEvents),
  }),
);

// The token or key is read through Powertools Parameters (cached 5 min); a rotated one gets a new
// adapter. A service app asks for okta.logs.read only.
const okta = oktaAdapterSource({
  auth: readConfig(oktaAuthEnvSchema),
  orgUrl: config.OKTA_ORG_URL,
  scopes: OKTA_SCOPES.systemLog,
  readSecret: (id) => getSecret<string>(id, { maxAge: 300 }),
});
const systemLog = {
  systemLogPage: async (from: string | SystemLogQuery) => (await okta()).systemLogPage(from),
};

const poll = createOktaLogPollHandler({
  logger: new Logger({ serviceName: "okta-log-poll" }),
  metrics: new Metrics({ namespace: "OktaAwsLifecycle", serviceName: "okta-log-poll" }),
  systemLog,
  cursor: new SystemLogCursor({
    doc: DynamoDBDocumentClient.from(new DynamoDBClient({})),
    tableName: config.STATE_TABLE,
  }),
  limits: {
    lookbackMs: config.LOOKBACK_MINUTES * 60_000,
    maxPages: config.MAX_PAGES,
    maxEvents: config.MAX_EVENTS,
  },
  normalizeOptions: normalizeOptionsOf(config),
  publish: createIdempotentPublisher({
    bus: new LifecycleBus({ client: new EventBridgeClient({}), busName: config.LIFECYCLE_BUS_NAME }),
    client: new DynamoDBClient({}),
    tableName: config.IDEMPOTENCY_TABLE,
  }),
  now: () => new Date().toISOString(),
  maxEventAgeSeconds: config.MAX_EVENT_AGE_SECONDS,
});

/** Lambda entry: the scheduled System Log poller; its Okta rate-limit waits fit in the invocation. */
export const handler = (event: unknown, context: Context) => {
  lambdaDeadline.enter(context);
  return poll(event, context);
};
