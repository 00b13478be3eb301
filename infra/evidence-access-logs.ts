import type { EvidenceSettings } from "./evidence-settings";

/** Where S3 writes the evidence bucket's server access logs, inside the log bucket. */
export const ACCESS_LOG_PREFIX = "evidence-access/";

/**
 * The log bucket that receives the evidence bucket's S3 server access logs: every read, write and
 * refused delete of evidence, by whom, from where. It is a separate bucket (a bucket logging into
 * itself logs its own log writes forever) with SSE-S3, because S3 server access logging cannot
 * deliver to a bucket whose default encryption is SSE-KMS, and without Object Lock default retention,
 * which log delivery does not support either. Deletes are denied to every principal; S3 itself
 * expires the logs after `accessLogDays`. Retained when the stack is removed.
 */
export function evidenceAccessLogBucket(settings: EvidenceSettings, sourceBucketArn: $util.Input<string>) {
  const account = aws.getCallerIdentityOutput({});
  const retain = (_args: unknown, opts: { retainOnDelete?: $util.Input<boolean> }): undefined => {
    opts.retainOnDelete = true;
  };
  return new sst.aws.Bucket("EvidenceAccessLogs", {
    enforceHttps: true,
    cors: false,
    lifecycle: [{ id: "expire-access-logs", expiresIn: `${settings.accessLogDays} days` }],
    policy: [
      {
        // The S3 logging service principal, only for our evidence bucket in our account.
        actions: ["s3:PutObject"],
        principals: [{ type: "service", identifiers: ["logging.s3.amazonaws.com"] }],
        paths: [`${ACCESS_LOG_PREFIX}*`],
        conditions: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: [account.accountId] },
          { test: "ArnLike", variable: "aws:SourceArn", values: [sourceBucketArn] },
        ],
      },
      {
        effect: "deny",
        actions: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
        principals: "*",
        paths: ["*"],
      },
    ],
    transform: {
      bucket: (args, opts) => {
        args.forceDestroy = false;
        opts.retainOnDelete = true;
      },
      policy: retain,
      publicAccessBlock: retain,
      lifecycle: retain,
    },
  });
}
