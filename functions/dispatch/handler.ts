import { Logger } from "@aws-lambda-powertools/logger";
import { SFNClient } from "@aws-sdk/client-sfn";
import { z } from "zod";
import { readConfig } from "../shared/read-config.ts";
import { createDispatchHandler } from "./create-handler.ts";

const config = readConfig(
  z.object({ USER_RECONCILE_ARN: z.string().startsWith("arn:", "the user-reconcile state machine ARN") }),
);

/** Lambda entry: target of the lifecycle bus rule. */
export const handler = createDispatchHandler({
  logger: new Logger({ serviceName: "dispatch" }),
  sfn: new SFNClient({}),
  userReconcileArn: config.USER_RECONCILE_ARN,
});
