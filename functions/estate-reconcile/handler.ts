import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { getSecret } from "@aws-lambda-powertools/parameters/secrets";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IAMClient } from "@aws-sdk/client-iam";
import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { KMSClient } from "@aws-sdk/client-kms";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { S3Client } from "@aws-sdk/client-s3";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { STSClient } from "@aws-sdk/client-sts";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { DenyLedger } from "../../adapters/deny-ledger.ts";
import { EstateWindows } from "../../adapters/estate-windows.ts";
import { EvidenceStore } from "../../adapters/evidence-store.ts";
import { IamCustomerManagedPolicyLookup } from "../../adapters/iam/customer-managed-policy-lookup.ts";
import { IamCredentialDiscovery } from "../../adapters/iam/iam-credential-discovery.ts";
import { MemberAccountSessions } from "../../adapters/iam/member-account-sessions.ts";
import { IamCredentialRevocation, revocationClients } from "../../adapters/iam/revoke-credentials.ts";
import { createSimulateCustomPolicyProver } from "../../adapters/iam/simulate-custom-policy-prover.ts";
import { PermissionSetContentAdapter } from "../../adapters/identity-center/permission-set-content.ts";
import { IdentityCenterAdapter } from "../../adapters/identity-center.ts";
import { IdentityLinks } from "../../adapters/identity-links.ts";
import { IdentityStorePrincipals } from "../../adapters/identity-store-principals.ts";
import { KmsEvidenceSigner } from "../../adapters/kms-evidence-signer.ts";
import { LeaseLock } from "../../adapters/lease-lock.ts";
import { OKTA_SCOPES } from "../../adapters/okta/scopes.ts";
import type { OktaAdapter } from "../../adapters/okta.ts";
import { CredentialsGuardrailSlot } from "../../adapters/organizations/credentials-guardrail-slot.ts";
import { OrganizationsAdapter } from "../../adapters/organizations.ts";
import { RevocationWriteMarker } from "../../adapters/revocation-write-marker.ts";
import { SharedCallBudget } from "../../adapters/shared-call-budget.ts";
import { WorkStore } from "../../adapters/work-store.ts";
import { DEFAULT_ESTATE_COALESCING } from "../../core/dispatch/estate-window.ts";
import { estateReconcileTasks } from "../../usecases/reconcile-estate/tasks.ts";
import { ThrottleBudget } from "../../usecases/reconcile-estate/throttle-budget.ts";
import { retryableByWorkflow } from "../../usecases/shared/dependency-unavailable.ts";
import type { EstateReconcileTask } from "../../workflows/estate-reconcile.ts";
import { lambdaDeadline, type RemainingTime } from "../shared/invocation-deadline.ts";
import { managementAccountAccess } from "../shared/management-account-access.ts";
import { oktaAdapterSource, oktaAuthEnvSchema } from "../shared/okta-auth.ts";
import { readPolicy } from "../shared/policy-location.ts";
import { readConfig } from "../shared/read-config.ts";
import { userReconcileConfigSchema } from "../user-reconcile/config.ts";

/** The user-reconcile environment plus the work bucket (set by infra/estate-reconcile.ts). */
const config = readConfig(
  userReconcileConfigSchema.extend({
    WORK_BUCKET: z.string().min(1, "the scratch bucket for plans and batch outcomes"),
    SSO_ADMIN_TPS: z.coerce.number().positive().default(20),
    // infra/credentials-guardrail-slot.ts (OAL_CREDENTIALS_GUARDRAIL=on); empty: the sweep only shows the guardrail.
    GUARDRAIL_SCP_ID: z
      .string()
      .regex(
        /^(p-[0-9a-zA-Z_]{8,128})?$/,
        "the guardrail slot's policy id (deploy output guardrailScpId), or empty",
      )
      .default(""),
    ESTATE_COALESCE_WINDOW_SECONDS: z.coerce
      .number()
      .positive("the window event-driven estate runs are folded in, in seconds")
      .default(DEFAULT_ESTATE_COALESCING.windowMs / 1000),
  }),
);

const oktaAuth = readConfig(oktaAuthEnvSchema);

let built: Promise<ReturnType<typeof estateReconcileTasks>> | undefined;
/** Built on first use; the Okta secret (cached by Powertools Parameters) and the policy are read per run. */
async function build() {
  const retries = { maxAttempts: 5 };
  const s3 = new S3Client({});
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const table = { doc, tableName: config.STATE_TABLE };
  const identityStore = new IdentitystoreClient(retries);
  // Identity Center's sso-admin quota is account-wide: every estate call also draws from the bucket the
  // functions share, at estate priority (it leaves a reserve for leaver runs; adapters/shared-call-budget.ts).
  // A quarter of the rate stays for leavers; a batch never exceeds what an estate take may hold.
  const bucket = Math.max(1, Math.floor(config.SSO_ADMIN_TPS));
  const reserve = Math.floor(bucket / 4);
  const sharedSsoAdmin = new SharedCallBudget(table, { callsPerSecond: bucket, reserve });
  const identityCenterWith = (budget?: ThrottleBudget) => {
    const ssoAdmin = new ThrottleBudget({
      callsPerSecond: config.SSO_ADMIN_TPS,
      shared: sharedSsoAdmin.for("estate"),
      sharedBatch: Math.max(1, Math.min(5, bucket - reserve)),
    }).pace(new SSOAdminClient(retries));
    return new IdentityCenterAdapter({
      ssoAdmin: budget ? budget.pace(ssoAdmin) : ssoAdmin,
      identityStore,
      instanceArn: config.INSTANCE_ARN,
      identityStoreId: config.IDENTITY_STORE_ID,
    });
  };
  // Users, groups and members only (a service app asks for okta.users.read and okta.groups.read).
  // Read when a run reads Okta (planEstateRun): the other tasks' roles may not read the secret.
  const oktaSource = oktaAdapterSource({
    auth: oktaAuth,
    orgUrl: config.OKTA_ORG_URL,
    scopes: OKTA_SCOPES.estate,
    readSecret: (id) => getSecret<string>(id, { maxAge: 300 }),
  });
  const okta = {
    readTruth: async (...args: Parameters<OktaAdapter["readTruth"]>) =>
      (await oktaSource()).readTruth(...args),
  };
  const organizations = new OrganizationsAdapter({
    client: new OrganizationsClient(retries),
    maxPolicyChars: config.SCP_MAX_CHARS,
    maxPoliciesPerTarget: config.SCP_MAX_PER_TARGET,
  });
  const ledger = new DenyLedger(table);
  const identityCenter = identityCenterWith();
  // The credential sweep (issue 16): one AssumeRole per account, role and run for discovery and revocation.
  const sessions = new MemberAccountSessions({ sts: new STSClient(retries) });
  const now = () => new Date().toISOString();
  return estateReconcileTasks({
    // Read per run (a policy-change run must see the new version); the object is a few kilobytes.
    policy: () => readPolicy(config.POLICY_LOCATION, { s3: () => s3 }),
    okta,
    organizations,
    identityCenter,
    ledger,
    links: new IdentityLinks(table),
    principals: new IdentityStorePrincipals({
      client: identityStore,
      identityStoreId: config.IDENTITY_STORE_ID,
    }),
    enforce: {
      ledger,
      lock: new LeaseLock(table),
      marker: new RevocationWriteMarker(table),
      scps: organizations.revocationScpPort({ slots: config.REVOCATION_SCP_IDS }),
      massFallback: async () =>
        (await readPolicy(config.POLICY_LOCATION, { s3: () => s3 })).revocation.massFallback,
      identityCenter,
      instanceArn: config.INSTANCE_ARN,
      managementAccountId: config.MANAGEMENT_ACCOUNT_ID,
      managementAccess: managementAccountAccess(config, {
        instanceArn: config.INSTANCE_ARN,
        identityStoreId: config.IDENTITY_STORE_ID,
      }),
      now,
    },
    evidence: new EvidenceStore({
      s3,
      bucket: config.EVIDENCE_BUCKET,
      table,
      ...(config.EVIDENCE_SIGNING_KEY_ID
        ? { signer: new KmsEvidenceSigner({ kms: new KMSClient({}), keyId: config.EVIDENCE_SIGNING_KEY_ID }) }
        : {}),
    }),
    now,
    work: new WorkStore({ s3, bucket: config.WORK_BUCKET }),
    callsPerSecond: config.SSO_ADMIN_TPS,
    batchBudget: identityCenterWith,
    // The ABAC canary proof through IAM's own policy simulator (the local simulator is not bundled).
    abacCanary: createSimulateCustomPolicyProver(new IAMClient(retries)),
    // Declared permission-set content, judged and repaired before the plan (issue 18).
    permissionSetContent: new PermissionSetContentAdapter({
      ssoAdmin: new ThrottleBudget({
        callsPerSecond: config.SSO_ADMIN_TPS,
        shared: sharedSsoAdmin.for("estate"),
      }).pace(new SSOAdminClient(retries)),
      instanceArn: config.INSTANCE_ARN,
    }),
    // Each account a declared set reaches holds its customer managed policies (GetPolicy, discovery role).
    customerManagedPolicies: new IamCustomerManagedPolicyLookup({ sessions }),
    credentials: {
      okta: { listUsers: async () => (await oktaSource()).listUsers() },
      discovery: new IamCredentialDiscovery({ sessions }),
      revocation: new IamCredentialRevocation(revocationClients(sessions)),
      // The deploy's guardrail slot: the sweep writes the guardrail into it, or lifts it.
      ...(config.GUARDRAIL_SCP_ID
        ? {
            guardrail: new CredentialsGuardrailSlot({
              client: new OrganizationsClient(retries),
              slotId: config.GUARDRAIL_SCP_ID,
            }),
          }
        : {}),
    },
    coalescing: {
      windows: new EstateWindows(table),
      coalescing: { windowMs: config.ESTATE_COALESCE_WINDOW_SECONDS * 1000 },
    },
    // infra/alarms.ts alarms on these (dimension service: estate-reconcile).
    signal: (signal) => {
      metrics.addMetric(signal, MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
    },
  });
}

const metrics = new Metrics({ namespace: "OktaAwsLifecycle", serviceName: "estate-reconcile" });

const handler =
  (task: EstateReconcileTask) =>
  (state: unknown, context?: RemainingTime): Promise<unknown> => {
    // Bounds the Okta adapter's rate-limit waits by what this invocation has left.
    lambdaDeadline.enter(context);
    return retryableByWorkflow(`estate-reconcile ${task}`, async () => {
      built ??= build().catch((error: unknown) => {
        built = undefined;
        throw error;
      });
      return (await built)[task](state);
    });
  };

/** Lambda entries of the estate-reconcile Task states (workflows/estate-reconcile.ts), one function each. */
export const coalesceEstateRun = handler("coalesceEstateRun");
export const planEstateRun = handler("planEstateRun");
export const applyEstateDenies = handler("applyEstateDenies");
export const applyEstateBatch = handler("applyEstateBatch");
export const writeEstateEvidence = handler("writeEstateEvidence");
export const sweepCredentials = handler("sweepCredentials");
