/**
 * The hook of infra/estate-reconcile.ts filled from workflows/estate-reconcile.ts (the estate issue):
 * its task names and definition, and the input of a scheduled run (a fresh run id per invocation,
 * from the Scheduler's execution id).
 */
import { ESTATE_RECONCILE_TASKS, estateReconcileDefinition } from "../workflows/estate-reconcile.ts";
import type { EstateReconcileWorkflow } from "./estate-reconcile.ts";

export function estateWorkflow(): EstateReconcileWorkflow {
  return {
    tasks: ESTATE_RECONCILE_TASKS,
    definition: (resources) =>
      estateReconcileDefinition(
        Object.fromEntries(
          ESTATE_RECONCILE_TASKS.map((task) => [task, resources[task] ?? `missing task function ${task}`]),
        ) as Record<(typeof ESTATE_RECONCILE_TASKS)[number], string>,
      ),
    scheduledInput: (schedule) => ({
      runId: "estate-<aws.scheduler.execution-id>",
      trigger: { type: "schedule", schedule },
    }),
  };
}
