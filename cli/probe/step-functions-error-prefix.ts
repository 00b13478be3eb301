import {
  type HistoryEvent,
  ListExecutionsCommand,
  paginateGetExecutionHistory,
  paginateListStateMachines,
  type SFNClient,
} from "@aws-sdk/client-sfn";
import { resourceNames } from "../../infra/names.ts";
import { observed, type SwitchObservation, unknown } from "./switch-observation.ts";

const NAME = "identityStoreErrorPrefix";
const APP = "okta-aws-lifecycle";

/**
 * The deployed user-reconcile state machine: `<app>-<stage>-user-reconcile` (infra/names.ts) for the
 * given stage, else any state machine named so (the local stack's has no stage).
 */
function isUserReconcile(name: string, stage: string | undefined): boolean {
  if (stage !== undefined) return name === resourceNames(APP, stage).stateMachines.userReconcile;
  return new RegExp(`^${APP}(-[a-z0-9][a-z0-9-]*)?-user-reconcile$`).test(name);
}

const PREFIXED = /^(Identitystore|IdentityStore)\.[A-Za-z]+$/;

/**
 * Reads the history of the deployed user-reconcile runs for an identitystore SDK task that failed
 * (TaskFailed, `resourceType` `aws-sdk:identitystore`): its error name carries the prefix Step
 * Functions gives identitystore errors. Read-only: it never starts a run, so a deployment whose
 * identitystore tasks never failed leaves the prefix unknown.
 */
export async function observeErrorPrefix(
  sfn: SFNClient,
  options: { stage?: string; maxExecutions: number },
): Promise<SwitchObservation<typeof NAME>> {
  const machines: { name: string; arn: string }[] = [];
  try {
    for await (const page of paginateListStateMachines({ client: sfn }, {}))
      for (const m of page.stateMachines ?? [])
        if (m.name && m.stateMachineArn && isUserReconcile(m.name, options.stage))
          machines.push({ name: m.name, arn: m.stateMachineArn });
  } catch (error) {
    const e = error as Error;
    return unknown(NAME, `cannot list state machines (${e.name}: ${e.message}): not deployed: unknown`);
  }
  if (machines.length === 0)
    return unknown(
      NAME,
      `no ${options.stage ? resourceNames(APP, options.stage).stateMachines.userReconcile : `${APP}-<stage>-user-reconcile`} state machine in this region: not deployed: unknown`,
    );
  let read = 0;
  for (const machine of machines) {
    const executions =
      (
        await sfn.send(
          new ListExecutionsCommand({ stateMachineArn: machine.arn, maxResults: options.maxExecutions }),
        )
      ).executions ?? [];
    for (const execution of executions) {
      if (!execution.executionArn || read >= options.maxExecutions) break;
      read++;
      const events: HistoryEvent[] = [];
      for await (const page of paginateGetExecutionHistory(
        { client: sfn, pageSize: 1000 },
        { executionArn: execution.executionArn, includeExecutionData: false },
      ))
        events.push(...(page.events ?? []));
      for (const event of events) {
        const failed = event.taskFailedEventDetails;
        const error = failed?.error ?? "";
        if (event.type === "TaskFailed" && PREFIXED.test(error)) {
          const prefix = error.slice(0, error.indexOf(".")) as "Identitystore" | "IdentityStore";
          return observed(
            NAME,
            prefix,
            `${machine.name} run ${execution.name}: a ${failed?.resourceType ?? "task"} ${failed?.resource ?? ""} failed with ${error}`.replace(
              /\s+/g,
              " ",
            ),
          );
        }
      }
    }
  }
  return unknown(
    NAME,
    `deployed (${machines.map((m) => m.name).join(", ")}), but no identitystore task failed in the last ${read} run(s): unknown`,
  );
}
