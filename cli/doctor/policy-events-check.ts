import {
  GetBucketLocationCommand,
  GetBucketNotificationConfigurationCommand,
  type GetBucketNotificationConfigurationCommandOutput,
  type S3Client,
} from "@aws-sdk/client-s3";
import { type CheckResult, guarded, ok, problem } from "./check.ts";

/** The deployment's access policy, when it is an S3 object (`OAL_POLICY=s3://...`). */
export interface PolicyEventsTarget {
  /** A client for the deployment's region: the region the policy-changed rule listens in. */
  s3: S3Client;
  bucket: string;
  key: string;
}

const CHECK = "Policy change events";

/** `s3://bucket/key` as bucket and key; undefined for anything else (a bundled `file:` policy). */
export function parseS3PolicyLocation(location: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  return match?.[1] && match[2] ? { bucket: match[1], key: match[2] } : undefined;
}

/** GetBucketLocation's answer as a region name (S3 answers nothing for us-east-1 and `EU` for eu-west-1). */
function bucketRegion(constraint: string | undefined): string {
  if (constraint === undefined || constraint === "") return "us-east-1";
  return constraint === "EU" ? "eu-west-1" : constraint;
}

const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** The command that turns EventBridge notifications on and keeps the bucket's other notifications. */
function enableCommand(bucket: string, current: GetBucketNotificationConfigurationCommandOutput): string {
  const { $metadata: _metadata, ...configurations } = current;
  const kept = Object.fromEntries(Object.entries(configurations).filter(([, value]) => value !== undefined));
  return `aws s3api put-bucket-notification-configuration --bucket ${bucket} --notification-configuration ${shellQuote(
    JSON.stringify({ ...kept, EventBridgeConfiguration: {} }),
  )}`;
}

const notImplemented = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "NotImplemented" || e.$metadata?.httpStatusCode === 501;
};

/**
 * A new version of the policy object starts an estate run only if S3 tells EventBridge
 * (infra/estate-triggers.ts): the bucket must have EventBridge notifications on, and be in the
 * deployment's region (S3 sends them to the default bus of the bucket's own region). A store that does
 * not implement notification settings (s3rver) is reported as such, never as a pass.
 */
export function checkPolicyEvents(target: PolicyEventsTarget): Promise<CheckResult> {
  const { bucket, key } = target;
  return guarded(
    CHECK,
    `check the policy location (OAL_POLICY) and that these credentials may read ${bucket}'s location and notification settings`,
    async () => {
      let constraint: string | undefined;
      try {
        constraint = (await target.s3.send(new GetBucketLocationCommand({ Bucket: bucket })))
          .LocationConstraint;
      } catch (error) {
        if ((error as Error).name === "NoSuchBucket") {
          return problem(
            CHECK,
            `the policy bucket ${bucket} does not exist`,
            `create it in the deployment's region and upload the policy to s3://${bucket}/${key}, or set OAL_POLICY to where the policy is and redeploy`,
          );
        }
        throw error;
      }
      const region = await target.s3.config.region();
      if (bucketRegion(constraint) !== region) {
        return problem(
          CHECK,
          `${bucket} is in ${bucketRegion(constraint)}: S3 sends its events to that region's default bus, but the policy-changed rule listens in ${region}`,
          `keep the policy in a bucket in ${region} (OAL_POLICY) and redeploy; until then a policy change waits for the scheduled run`,
        );
      }
      let notifications: GetBucketNotificationConfigurationCommandOutput;
      try {
        notifications = await target.s3.send(
          new GetBucketNotificationConfigurationCommand({ Bucket: bucket }),
        );
      } catch (error) {
        if (notImplemented(error)) {
          return {
            check: CHECK,
            status: "unsupported",
            detail: `not supported by the local emulator: ${bucket} cannot report notification settings; in AWS this check must pass`,
          };
        }
        throw error;
      }
      if (notifications.EventBridgeConfiguration === undefined) {
        return problem(
          CHECK,
          `${bucket} does not send events to EventBridge: a new version of ${key} waits for the scheduled run`,
          enableCommand(bucket, notifications),
        );
      }
      return ok(CHECK, `${bucket} sends events to EventBridge: a new version of ${key} starts an estate run`);
    },
  );
}
