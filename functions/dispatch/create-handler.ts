import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import middy from "@middy/core";
import type { EventBridgeEvent } from "aws-lambda";
import type { LifecycleBusDetail } from "../../adapters/lifecycle-bus.ts";
import { userExecutionName } from "../../core/dispatch/execution-name.ts";

export interface DispatchDeps {
  logger: Logger;
  sfn: SFNClient;
  userReconcileArn: string;
}

/** The input of a user-reconcile run: the user to converge, and the events that named them. */
export interface UserReconcileInput {
  /** The execution name: deterministic per event, it is also the evidence run id. */
  runId: string;
  user: { id: string; login: string | null };
  trigger: LifecycleBusDetail;
}

export type DispatchResult = { started: string } | { duplicate: string } | { skipped: string };

/**
 * Lifecycle bus -> StartExecution of user-reconcile, with a deterministic execution name so a
 * duplicate event cannot start a second run.
 */
export function createDispatchHandler(deps: DispatchDeps) {
  const handle = async (event: EventBridgeEvent<string, LifecycleBusDetail>): Promise<DispatchResult> => {
    const detail = event.detail;
    const lifecycle = detail.event;
    if (lifecycle.subject !== "user") {
      deps.logger.info("group event: its members converge in the next estate reconcile", {
        group: lifecycle.group,
      });
      return { skipped: `group ${lifecycle.group.id}` };
    }
    const name = userExecutionName(lifecycle.user.id, lifecycle.oktaEventId);
    const input: UserReconcileInput = { runId: name, user: lifecycle.user, trigger: detail };
    try {
      await deps.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: deps.userReconcileArn,
          name,
          input: JSON.stringify(input),
        }),
      );
      deps.logger.info("started user-reconcile", { name, kind: lifecycle.kind });
      return { started: name };
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) {
        deps.logger.info("duplicate event: run already exists", { name });
        return { duplicate: name };
      }
      throw error;
    }
  };
  return middy<EventBridgeEvent<string, LifecycleBusDetail>, DispatchResult>()
    .use(injectLambdaContext(deps.logger))
    .handler(handle);
}
