import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SFNClient } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { CoalescedEvents } from "../../adapters/coalesced-events.ts";
import { DEFAULT_COALESCING } from "../../core/dispatch/coalesce.ts";
import { readConfig } from "../shared/read-config.ts";
import { createDispatchHandler } from "./create-handler.ts";

const config = readConfig(
  z.object({
    USER_RECONCILE_ARN: z.string().startsWith("arn:", "the user-reconcile state machine ARN"),
    STATE_TABLE: z.string().min(1, "the DynamoDB state table name (events folded into waiting runs)"),
    COALESCE_WINDOW_SECONDS: z.coerce
      .number()
      .positive("the per-user coalescing window, in seconds")
      .default(DEFAULT_COALESCING.windowMs / 1000),
  }),
);

/** Lambda entry: target of the lifecycle bus rule. */
export const handler = createDispatchHandler({
  logger: new Logger({ serviceName: "dispatch" }),
  sfn: new SFNClient({}),
  userReconcileArn: config.USER_RECONCILE_ARN,
  coalesced: new CoalescedEvents({
    doc: DynamoDBDocumentClient.from(new DynamoDBClient({})),
    tableName: config.STATE_TABLE,
  }),
  coalescing: { windowMs: config.COALESCE_WINDOW_SECONDS * 1000 },
});
