import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import type { KMSClient } from "@aws-sdk/client-kms";
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import type { STSClient } from "@aws-sdk/client-sts";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { CoalescedEvents } from "../../adapters/coalesced-events.ts";
import { DenyLedger } from "../../adapters/deny-ledger.ts";
import { EvidenceStore } from "../../adapters/evidence-store.ts";
import { IdentityCenterAdapter } from "../../adapters/identity-center.ts";
import { IdentityLinks } from "../../adapters/identity-links.ts";
import { KmsEvidenceSigner } from "../../adapters/kms-evidence-signer.ts";
import { LeaseLock } from "../../adapters/lease-lock.ts";
import { OKTA_SCOPES } from "../../adapters/okta/scopes.ts";
import { OktaAdapter } from "../../adapters/okta.ts";
import { OrganizationsAdapter } from "../../adapters/organizations.ts";
import { RevocationWriteMarker } from "../../adapters/revocation-write-marker.ts";
import { SessionTagStore } from "../../adapters/session-tag-store.ts";
import { SharedCallBudget } from "../../adapters/shared-call-budget.ts";
import { WorkStore } from "../../adapters/work-store.ts";
import { durationMs } from "../../core/duration.ts";
import { userNameMappingOf } from "../../core/identity/user-name-format.ts";
import type { Policy } from "../../core/policy/schema.ts";
import type { OktaUserPort } from "../../core/ports.ts";
import {
  REVOCATION_PENDING_METRIC,
  revocationPendingSeconds,
} from "../../usecases/reconcile-user/revocation-pending.ts";
import { revocationTimings } from "../../usecases/reconcile-user/revocation-timing.ts";
import { userRunSignals } from "../../usecases/reconcile-user/run-signals.ts";
import type { UserRunState } from "../../usecases/reconcile-user/run-state.ts";
import { userReconcileTasks } from "../../usecases/reconcile-user/tasks.ts";
import { retryableByWorkflow } from "../../usecases/shared/dependency-unavailable.ts";
import { USER_RECONCILE_TASKS, type UserReconcileTask } from "../../workflows/user-reconcile.ts";
import {
  type InvocationDeadline,
  lambdaDeadline,
  type RemainingTime,
} from "../shared/invocation-deadline.ts";
import { managementAccountAccess } from "../shared/management-account-access.ts";
import type { UserReconcileConfig } from "./config.ts";
import { credentialPorts } from "./credential-ports.ts";

/** The AWS clients the tasks use (created once per function instance, on first use). */
export interface UserReconcileClients {
  ssoAdmin: SSOAdminClient;
  identityStore: IdentitystoreClient;
  organizations: OrganizationsClient;
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  kms: KMSClient;
  /** Assumes the member accounts' credential roles (issue 16); absent: the credential tasks are not wired. */
  sts?: STSClient;
}

export interface UserReconcileHandlerDeps {
  config: UserReconcileConfig;
  clients: () => UserReconcileClients;
  /** The Okta API token, read when Okta is first called (Secrets Manager, cached, in AWS). */
  oktaToken?: () => Promise<string>;
  /**
   * An Okta adapter for the scopes a task needs (functions/shared/okta-auth.ts: a service app asks for
   * only those, SSWS ignores them); set this or `oktaToken`.
   */
  oktaAdapter?: (scopes: readonly string[]) => Promise<OktaAdapter>;
  /** The access policy (its hold, membership sync and session-tag attributes). */
  policy: () => Promise<Policy>;
  logger: Pick<Logger, "info">;
  metrics: Pick<Metrics, "addMetric" | "publishStoredMetrics">;
  /** @default the system clock */
  now?: () => string;
  /** Where each invocation's remaining time is kept for the Okta adapter. @default lambdaDeadline */
  deadline?: InvocationDeadline;
}

/** A task handler; the Lambda context bounds Okta's rate-limit waits (none without one). */
export type UserReconcileHandlers = Record<
  UserReconcileTask,
  (state: UserRunState, context?: RemainingTime) => Promise<unknown>
>;

/**
 * The Lambda handlers of the user-reconcile tasks, built on first use from the validated config with
 * the real adapters (functions/user-reconcile/handler.ts passes the SDK clients). Each handler:
 * - rethrows a transient failure (throttling, 5xx, Okta's rate limit) as DependencyUnavailableError,
 *   which the workflow retries with jitter; anything else fails the run loudly;
 * - for the evidence task of a revoking run, emits the time-to-revoke as an EMF metric, and for each
 *   ApplyDeny attempt of a leaver, the age of the pending revocation (revocation-pending.ts).
 * The Okta token is only read by the tasks that call Okta; a rotated token gets a new adapter.
 */
/** How long a warm function keeps an S3 policy before reading it again. */
const POLICY_MAX_AGE_MS = 60_000;

export function createUserReconcileHandlers(deps: UserReconcileHandlerDeps): UserReconcileHandlers {
  const now = deps.now ?? (() => new Date().toISOString());
  // The invocation's remaining time, read by the Okta adapter before it waits for a rate-limit reset.
  const deadline = deps.deadline ?? lambdaDeadline;
  let okta: { token: string; adapter: OktaAdapter } | undefined;
  const oktaAdapter =
    deps.oktaAdapter ??
    (async () => {
      if (deps.oktaToken === undefined)
        throw new Error("user-reconcile: no Okta credentials (oktaToken or oktaAdapter)");
      const token = await deps.oktaToken();
      if (okta?.token !== token)
        okta = {
          token,
          adapter: new OktaAdapter({
            orgUrl: deps.config.OKTA_ORG_URL,
            token,
            remainingTimeMs: deadline.remainingTimeMs,
          }),
        };
      return okta.adapter;
    });
  // Reads ask for okta.users.read only; clearing sessions alone asks for okta.users.manage.
  const lazyOkta: OktaUserPort = {
    getUser: async (id) => (await oktaAdapter(OKTA_SCOPES.userRead)).getUser(id),
    listUserGroups: async (id) => (await oktaAdapter(OKTA_SCOPES.userRead)).listUserGroups(id),
    findGroupsByName: async (name) => (await oktaAdapter(OKTA_SCOPES.userRead)).findGroupsByName(name),
    findGroupById: async (id) => (await oktaAdapter(OKTA_SCOPES.userRead)).findGroupById(id),
    clearUserSessions: async (id) => (await oktaAdapter(OKTA_SCOPES.clearSessions)).clearUserSessions(id),
  };

  let built: Promise<ReturnType<typeof userReconcileTasks>> | undefined;
  const build = async () => {
    const c = deps.clients();
    const { config } = deps;
    const policy = await deps.policy();
    const table = { doc: c.doc, tableName: config.STATE_TABLE };
    const identityCenter = new IdentityCenterAdapter({
      ssoAdmin: c.ssoAdmin,
      identityStore: c.identityStore,
      instanceArn: config.INSTANCE_ARN,
      identityStoreId: config.IDENTITY_STORE_ID,
    });
    const organizations = new OrganizationsAdapter({
      client: c.organizations,
      maxPolicyChars: config.SCP_MAX_CHARS,
      maxPoliciesPerTarget: config.SCP_MAX_PER_TARGET,
    });
    return userReconcileTasks({
      okta: lazyOkta,
      identityCenter,
      scps: organizations.revocationScpPort({ slots: config.REVOCATION_SCP_IDS }),
      ledger: new DenyLedger(table),
      lock: new LeaseLock(table),
      marker: new RevocationWriteMarker(table),
      // Estate runs draw from this budget; a revoking run's announcement holds them off (issue 17).
      revocationPriority: new SharedCallBudget(table),
      evidence: new EvidenceStore({
        s3: c.s3,
        bucket: config.EVIDENCE_BUCKET,
        table,
        ...(config.EVIDENCE_SIGNING_KEY_ID
          ? { signer: new KmsEvidenceSigner({ kms: c.kms, keyId: config.EVIDENCE_SIGNING_KEY_ID }) }
          : {}),
      }),
      scratch: new WorkStore({ s3: c.s3, bucket: config.WORK_BUCKET }),
      instanceArn: config.INSTANCE_ARN,
      identityStoreId: config.IDENTITY_STORE_ID,
      managementAccountId: config.MANAGEMENT_ACCOUNT_ID,
      managementAccess: managementAccountAccess(config, {
        instanceArn: config.INSTANCE_ARN,
        identityStoreId: config.IDENTITY_STORE_ID,
      }),
      // The policy's hold, never shorter than the deployment's (at least the longest session).
      holdMs: Math.max(durationMs(policy.revocation.hold), config.HOLD_SECONDS * 1000),
      membershipSync: policy.ownership.membershipSync,
      policy,
      sessionTagAttributes: policy.sessionTagAttributes,
      sessionTags: new SessionTagStore(table),
      links: new IdentityLinks(table),
      externalIdIssuer: policy.okta.identityCenterApp.externalIdIssuer,
      userNames: userNameMappingOf(policy.okta.identityCenterApp),
      coalesced: new CoalescedEvents(table),
      ...(policy.credentials && c.sts
        ? {
            credentialPorts: credentialPorts({
              sts: c.sts,
              organization: organizations,
              listUsers: async () => (await oktaAdapter(OKTA_SCOPES.userRead)).listUsers(),
              assignedApps: async (userId) => (await oktaAdapter(OKTA_SCOPES.userRead)).listAppLinks(userId),
            }),
          }
        : {}),
      now,
    });
  };
  // An S3 policy can change under a warm function: rebuild (re-read it) once the build is a minute
  // old, so a user run sees a policy edit within a minute (a bundled policy changes only by deploy).
  let builtAt = 0;
  const tasks = () => {
    const at = Date.parse(now());
    const stale = deps.config.POLICY_LOCATION.startsWith("s3://") && at - builtAt > POLICY_MAX_AGE_MS;
    if (built === undefined || stale) {
      builtAt = at;
      built = build().catch((error: unknown) => {
        built = undefined; // a failed build (policy read) is retried by the next invocation
        throw error;
      });
    }
    return built;
  };

  const handler =
    (task: UserReconcileTask) =>
    (state: UserRunState, context?: RemainingTime): Promise<unknown> => {
      deadline.enter(context);
      if (task === "applyDenies") {
        // Published before the work, so an attempt that times out or crashes still reports its age.
        const pending = revocationPendingSeconds(state, now());
        if (pending !== undefined) {
          deps.metrics.addMetric(REVOCATION_PENDING_METRIC, MetricUnit.Seconds, pending);
          deps.metrics.publishStoredMetrics();
        }
      }
      return retryableByWorkflow(`user-reconcile ${task}`, async () => {
        const result = await (await tasks())[task](state);
        if (task === "writeUserEvidence") {
          for (const timing of revocationTimings(state)) {
            deps.metrics.addMetric(timing.name, MetricUnit.Seconds, timing.seconds);
            deps.logger.info("time to revoke", { runId: state.runId, [timing.name]: timing.seconds });
          }
          // Unverifiable and partial runs, and the revocation rate, are alarmed (infra/alarms.ts).
          for (const signal of userRunSignals(state)) deps.metrics.addMetric(signal, MetricUnit.Count, 1);
          deps.metrics.publishStoredMetrics();
        }
        return result;
      });
    };
  return Object.fromEntries(
    USER_RECONCILE_TASKS.map((task) => [task, handler(task)]),
  ) as UserReconcileHandlers;
}
