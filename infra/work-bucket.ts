/**
 * Scratch space for workflow runs (adapters/work-store.ts): the estate reconcile's plan and per-batch
 * outcomes, which outgrow a Step Functions payload at a thousand accounts, and each user run's truth,
 * plan and deletion outcomes (usecases/reconcile-user/run-scratch.ts). Never evidence (that is the
 * locked evidence bucket): objects expire after a week, and the bucket goes with the stack.
 */
import { RUNTIME_CONTRACT } from "./runtime-contract.ts";

export function workBucket() {
  return new sst.aws.Bucket("Work", {
    enforceHttps: true,
    cors: false,
    lifecycle: [{ id: "expire-scratch", prefix: RUNTIME_CONTRACT.workPrefix, expiresIn: "7 days" }],
  });
}
