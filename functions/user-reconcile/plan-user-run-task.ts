import { planUserRun, type UserRunPlan } from "../../core/plan/plan-user-run.ts";
import { need, type UserRunState } from "./run-state.ts";

export interface PlanTaskDeps {
  /** How long a Deny is held (the policy's hold, at least the longest session duration). */
  holdMs: number;
  now: () => string;
}

/** Task Plan: core/plan decides from the truth; the run id and start instant go along for evidence. */
export function planUserRunTask(deps: PlanTaskDeps) {
  return async (state: UserRunState): Promise<UserRunPlan & { runId: string; startedAt: string }> => {
    const now = deps.now();
    const plan = planUserRun(need(state.truth, "truth"), { holdMs: deps.holdMs, now });
    return { ...plan, runId: state.runId, startedAt: now };
  };
}
