import {
  GetObjectLockConfigurationCommand,
  type GetObjectLockConfigurationCommandOutput,
  type S3Client,
} from "@aws-sdk/client-s3";
import { type CheckResult, guarded, ok, problem } from "./check.ts";

export interface EvidenceLockTarget {
  s3: S3Client;
  bucket: string;
}

const CHECK = "Evidence bucket lock";

/**
 * Object Lock is enabled with a COMPLIANCE default retention (which also implies versioning). A store
 * that does not implement Object Lock (s3rver on a laptop) is reported as such, never as a pass.
 */
export function checkEvidenceLock(target: EvidenceLockTarget): Promise<CheckResult> {
  return guarded(
    CHECK,
    "check the evidence bucket name and that these credentials may read its settings",
    async () => {
      let config: GetObjectLockConfigurationCommandOutput;
      try {
        config = await target.s3.send(new GetObjectLockConfigurationCommand({ Bucket: target.bucket }));
      } catch (error) {
        const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (e.name === "NotImplemented" || e.$metadata?.httpStatusCode === 501) {
          return {
            check: CHECK,
            status: "unsupported",
            detail: `not supported by the local emulator: ${target.bucket} cannot report Object Lock settings (s3rver has no Object Lock); in AWS this check must pass`,
          };
        }
        if (e.name === "ObjectLockConfigurationNotFoundError") {
          return problem(
            CHECK,
            `${target.bucket} has no Object Lock configuration`,
            "Object Lock can only be enabled when a bucket is created: deploy the stack's evidence bucket (infra/evidence-bucket.ts) and point the pipeline at it",
          );
        }
        throw error;
      }
      const lock = config.ObjectLockConfiguration;
      const retention = lock?.Rule?.DefaultRetention;
      if (lock?.ObjectLockEnabled !== "Enabled") {
        return problem(
          CHECK,
          `Object Lock is not enabled on ${target.bucket}`,
          "deploy the stack's evidence bucket",
        );
      }
      if (retention?.Mode !== "COMPLIANCE") {
        return problem(
          CHECK,
          `default retention is ${retention?.Mode ?? "not set"}, not COMPLIANCE (GOVERNANCE can be bypassed)`,
          "redeploy: infra/evidence-bucket.ts sets a COMPLIANCE default retention (EVIDENCE_RETENTION_DAYS)",
        );
      }
      const period = retention.Days !== undefined ? `${retention.Days} days` : `${retention.Years} years`;
      return ok(CHECK, `${target.bucket}: Object Lock COMPLIANCE, default retention ${period}`);
    },
  );
}
