import { ACCESS_LOG_PREFIX, evidenceAccessLogBucket } from "./evidence-access-logs";
import { evidenceKeys } from "./evidence-keys";
import { DEFAULT_EVIDENCE_RETENTION_DAYS, type EvidenceSettings } from "./evidence-settings";

/** Prefixes of the write-once objects (records and snapshots); daily manifests are refreshed in place. */
const WRITE_ONCE_PREFIXES = ["v1/runs/*", "v1/snapshots/*"];

/**
 * The evidence bucket (layout and guarantees: docs/evidence.md):
 * - versioning, and Object Lock enabled at creation (it cannot be turned on later) with a default
 *   retention in COMPLIANCE mode: no one, root included, deletes or shortens the retention of a
 *   version before it expires; an overwrite only adds a version;
 * - SSE-KMS with the product's own key and an S3 Bucket Key; uploads asking for another encryption
 *   or another key are refused;
 * - a bucket policy that refuses plain HTTP (TLS only), refuses every delete to every principal,
 *   and refuses a record or snapshot upload without `If-None-Match: *` (so a record is written once,
 *   never replaced by a new version);
 * - server access logging to a separate log bucket;
 * - public access blocked, no CORS, and every part retained when the stack is removed.
 */
export function evidenceBucket(
  settings: EvidenceSettings = {
    retentionDays: DEFAULT_EVIDENCE_RETENTION_DAYS,
    accessLogDays: DEFAULT_EVIDENCE_RETENTION_DAYS,
  },
) {
  const keys = evidenceKeys();
  const retain = (_args: unknown, opts: { retainOnDelete?: $util.Input<boolean> }): undefined => {
    opts.retainOnDelete = true;
  };

  const bucket = new sst.aws.Bucket("Evidence", {
    versioning: true,
    enforceHttps: true,
    cors: false,
    policy: [
      {
        effect: "deny",
        actions: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
        principals: "*",
        paths: ["*"],
      },
      {
        // Encryption is never weaker than the bucket default: no upload may ask for SSE-S3 or another key.
        effect: "deny",
        actions: ["s3:PutObject"],
        principals: "*",
        paths: ["*"],
        conditions: [
          {
            test: "StringNotEqualsIfExists",
            variable: "s3:x-amz-server-side-encryption",
            values: ["aws:kms"],
          },
        ],
      },
      {
        effect: "deny",
        actions: ["s3:PutObject"],
        principals: "*",
        paths: ["*"],
        conditions: [
          {
            test: "StringNotEqualsIfExists",
            variable: "s3:x-amz-server-side-encryption-aws-kms-key-id",
            values: [keys.encryption.arn],
          },
        ],
      },
      {
        // Write once: creating a record or snapshot must carry If-None-Match, so an existing key is never
        // overwritten (multipart part uploads, which cannot carry it, are not object creations).
        effect: "deny",
        actions: ["s3:PutObject"],
        principals: "*",
        paths: WRITE_ONCE_PREFIXES,
        conditions: [
          { test: "Null", variable: "s3:if-none-match", values: ["true"] },
          { test: "Bool", variable: "s3:ObjectCreationOperation", values: ["true"] },
        ],
      },
    ],
    transform: {
      bucket: (args, opts) => {
        args.objectLockEnabled = true;
        args.forceDestroy = false;
        opts.retainOnDelete = true;
      },
      versioning: retain,
      policy: retain,
      publicAccessBlock: retain,
    },
  });

  new aws.s3.BucketObjectLockConfiguration(
    "EvidenceObjectLock",
    {
      bucket: bucket.name,
      rule: { defaultRetention: { mode: "COMPLIANCE", days: settings.retentionDays } },
    },
    { retainOnDelete: true, dependsOn: [bucket] },
  );

  new aws.s3.BucketServerSideEncryptionConfiguration(
    "EvidenceEncryption",
    {
      bucket: bucket.name,
      rules: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: keys.encryption.arn,
          },
          bucketKeyEnabled: true,
        },
      ],
    },
    { retainOnDelete: true },
  );

  const accessLogs = evidenceAccessLogBucket(settings, bucket.arn);
  new aws.s3.BucketLogging(
    "EvidenceAccessLogging",
    {
      bucket: bucket.name,
      targetBucket: accessLogs.name,
      targetPrefix: ACCESS_LOG_PREFIX,
      targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
    },
    { retainOnDelete: true },
  );

  return { bucket, accessLogs, encryptionKey: keys.encryption, signingKey: keys.signing };
}
