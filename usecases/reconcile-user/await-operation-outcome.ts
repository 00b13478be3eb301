import { isTransient } from "../shared/dependency-unavailable.ts";
import type { OperationOutcome } from "./run-state.ts";

/** What an asynchronous sso-admin operation reports while it runs (provisioning, assignment deletion). */
export interface OperationProgress {
  status: string;
  failureReason?: string;
}

/**
 * Starts one asynchronous sso-admin operation and polls it to SUCCEEDED or FAILED, as the workflow's
 * own poll loops do, for the operations a task runs itself (through the management component). A
 * transient error is thrown so the workflow retries the task; any other refusal is a FAILED outcome
 * carrying the error, so one refused operation never fails the run.
 */
export async function awaitOperationOutcome(
  start: () => Promise<{ requestId: string }>,
  progressOf: (requestId: string) => Promise<OperationProgress>,
  report: Omit<OperationOutcome, "status">,
  pollMs: number,
): Promise<OperationOutcome> {
  try {
    const { requestId } = await start();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      const progress = await progressOf(requestId);
      if (progress.status === "SUCCEEDED") return { status: "SUCCEEDED", requestId, ...report };
      if (progress.status === "FAILED")
        return { status: "FAILED", requestId, detail: { FailureReason: progress.failureReason }, ...report };
    }
  } catch (error) {
    if (isTransient(error)) throw error;
    const e = error as { name?: string; message?: string };
    return {
      status: "FAILED",
      error: { Error: e.name ?? "Error", Cause: e.message ?? String(error) },
      ...report,
    };
  }
}
