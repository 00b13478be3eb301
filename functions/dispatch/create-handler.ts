import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import middy from "@middy/core";
import type { EventBridgeEvent } from "aws-lambda";
import type { CoalescedEvents } from "../../adapters/coalesced-events.ts";
import { type LifecycleBusDetail, triggerEventOf } from "../../adapters/lifecycle-bus.ts";
import { type CoalescingOptions, coalescingSlots, DEFAULT_COALESCING } from "../../core/dispatch/coalesce.ts";
import { userExecutionName } from "../../core/dispatch/execution-name.ts";

export interface DispatchDeps {
  logger: Logger;
  sfn: SFNClient;
  userReconcileArn: string;
  /** Where events folded into a waiting run are recorded, so that run's evidence names them. */
  coalesced: CoalescedEvents;
  /** Per-user coalescing of joiner and mover runs. @default DEFAULT_COALESCING (10 s windows) */
  coalescing?: Partial<CoalescingOptions>;
  /** Epoch milliseconds. @default Date.now */
  now?: () => number;
}

/** The input of a user-reconcile run: the user to converge, and the event that started the run. */
export interface UserReconcileInput {
  /** The execution name; it is also the evidence run id. */
  runId: string;
  user: { id: string; login: string | null };
  trigger: LifecycleBusDetail;
  /** A coalesced (trailing) run reads the truth no earlier than this instant (ISO-8601). */
  notBefore?: string;
}

/**
 * - `started`: this event started a run;
 * - `coalesced`: a run that will read the truth after this event already exists (it stands for it);
 * - `duplicate`: the run this very event maps to exists (a leaver event delivered twice);
 * - `skipped`: a group event (an estate run converges its members: workflows/estate-triggers.ts).
 */
export type DispatchResult =
  | { started: string }
  | { coalesced: string }
  | { duplicate: string }
  | { skipped: string };

/**
 * Lifecycle bus -> StartExecution of user-reconcile.
 *
 * A **leaver** starts at once, under a name derived from its Okta event (a duplicate cannot start a
 * second run): revocation never waits. So does a **compromise signal** (core/okta/event-types.ts): its
 * run plans from the signal itself (the instant it ends older sessions at), so it is never folded into
 * a run another event started. **Joiners and movers** are coalesced per user
 * (core/dispatch/coalesce.ts): the first event of a window starts the user's leading run at once;
 * later ones map to the window's trailing run, which waits until the window has closed before it
 * reads the truth. Starting a name that exists answers ExecutionAlreadyExists, so concurrent
 * dispatchers agree without any other store: a mass import of N events for one user costs at most
 * two runs per window, and no event is absorbed by a run that read the truth before it.
 */
export function createDispatchHandler(deps: DispatchDeps) {
  const coalescing: CoalescingOptions = { ...DEFAULT_COALESCING, ...deps.coalescing };
  const now = deps.now ?? Date.now;

  /** Starts `name`; false when an execution of that name exists already. */
  const start = async (input: UserReconcileInput): Promise<boolean> => {
    try {
      await deps.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: deps.userReconcileArn,
          name: input.runId,
          input: JSON.stringify(input),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return false;
      throw error;
    }
  };

  const handle = async (event: EventBridgeEvent<string, LifecycleBusDetail>): Promise<DispatchResult> => {
    const trigger = event.detail;
    const lifecycle = trigger.event;
    if (lifecycle.subject !== "user") {
      deps.logger.info("group event: the estate-on-okta-group-event rule starts an estate run for it", {
        group: lifecycle.group,
      });
      return { skipped: `group ${lifecycle.group.id}` };
    }
    const user = lifecycle.user;
    if (lifecycle.kind === "leaver" || lifecycle.signal !== undefined) {
      const runId = userExecutionName(user.id, lifecycle.oktaEventId);
      if (await start({ runId, user, trigger })) {
        deps.logger.info("started user-reconcile", { name: runId, kind: lifecycle.kind });
        return { started: runId };
      }
      deps.logger.info("duplicate event: run already exists", { name: runId });
      return { duplicate: runId };
    }
    const slots = coalescingSlots(user.id, now(), coalescing);
    if (await start({ runId: slots.leading, user, trigger })) {
      deps.logger.info("started user-reconcile", { name: slots.leading, kind: lifecycle.kind });
      return { started: slots.leading };
    }
    const trailing = { runId: slots.trailing.name, user, trigger, notBefore: slots.trailing.notBefore };
    if (await start(trailing)) {
      deps.logger.info("started a trailing user-reconcile", { name: trailing.runId, kind: lifecycle.kind });
      return { started: trailing.runId };
    }
    await deps.coalesced.record(trailing.runId, triggerEventOf(trigger));
    deps.logger.info("coalesced into a waiting run", { name: trailing.runId, event: lifecycle.oktaEventId });
    return { coalesced: trailing.runId };
  };
  return middy<EventBridgeEvent<string, LifecycleBusDetail>, DispatchResult>()
    .use(injectLambdaContext(deps.logger))
    .handler(handle);
}
