import { z } from "zod";
import { topologyEnvFields } from "../shared/management-account-access.ts";

/**
 * The environment of the user-reconcile task functions (set by infra/user-reconcile.ts). Every task
 * function gets the same variables; each builds only the adapters its task uses.
 */
export const userReconcileConfigSchema = z.object({
  OKTA_ORG_URL: z.url("https://{yourOktaDomain}"),
  // Okta credentials (an SSWS token's secret, or a service app): functions/shared/okta-auth.ts.
  STATE_TABLE: z.string().min(1, "the DynamoDB state table name"),
  EVIDENCE_BUCKET: z.string().min(1, "the evidence bucket name"),
  INSTANCE_ARN: z.string().startsWith("arn:", "the Identity Center instance ARN"),
  IDENTITY_STORE_ID: z.string().startsWith("d-", "the identity store id (d-...)"),
  MANAGEMENT_ACCOUNT_ID: z.string().regex(/^\d{12}$/, "the management account id (12 digits)"),
  HOLD_SECONDS: z.coerce.number().int().positive("seconds a Deny is held, at least the longest session"),
  POLICY_LOCATION: z.string().regex(/^(file:|s3:\/\/)/, "file:<path> or s3://<bucket>/<key>"),
  /**
   * The revocation SCP slots the deploy created (infra/revocation-scp-slots.ts), comma-separated policy
   * ids in slot order: the only SCPs the tasks ever write.
   */
  REVOCATION_SCP_IDS: z
    .string()
    .regex(
      /^p-[0-9a-zA-Z_]{8,128}(,p-[0-9a-zA-Z_]{8,128})*$/,
      "comma-separated SCP policy ids (p-...), in slot order",
    )
    .transform((ids) => ids.split(",")),
  /** Characters per SCP, the organization's quota (infra/parameters.ts OAL_SCP_MAX_CHARS). @default 5120 */
  SCP_MAX_CHARS: z.coerce
    .number()
    .int()
    .min(1000, "characters per SCP: the organization's quota, 5120 or 10240")
    .max(10_240, "characters per SCP: the organization's quota, 5120 or 10240")
    .default(5120),
  /** SCPs per target, FullAWSAccess included (OAL_SCP_MAX_PER_TARGET). @default 5 */
  SCP_MAX_PER_TARGET: z.coerce
    .number()
    .int()
    .min(2, "SCPs per target: the organization's quota, 5 or 10")
    .max(10, "SCPs per target: the organization's quota, 5 or 10")
    .default(5),
  /** The run scratch bucket: a run's truth, plan and deletion outcomes (usecases/reconcile-user/run-scratch.ts). */
  WORK_BUCKET: z.string().min(1, "the scratch bucket for run truth, plans and outcomes"),
  /** The KMS key that signs the daily evidence manifests; unset: records are indexed, not signed. */
  EVIDENCE_SIGNING_KEY_ID: z.string().min(1).optional(),
  /** Where the stack runs, and the management component to assume in a delegated-admin deployment. */
  ...topologyEnvFields,
});

export type UserReconcileConfig = z.output<typeof userReconcileConfigSchema>;
