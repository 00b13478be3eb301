/**
 * The evidence bucket: versioned, Object Lock enabled at creation (it cannot be turned on later),
 * retained when the stack is removed. Lock rules, KMS and policies arrive with the evidence issue.
 */
export function evidenceBucket() {
  return new sst.aws.Bucket("Evidence", {
    versioning: true,
    transform: {
      bucket: (args, opts) => {
        args.objectLockEnabled = true;
        opts.retainOnDelete = true;
      },
    },
  });
}
