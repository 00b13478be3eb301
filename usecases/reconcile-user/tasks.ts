import type { CoalescedEvents } from "../../adapters/coalesced-events.ts";
import type { DenyLedger } from "../../adapters/deny-ledger.ts";
import type { EvidenceStore } from "../../adapters/evidence-store.ts";
import type { IdentityLinks } from "../../adapters/identity-links.ts";
import type { LeaseLock } from "../../adapters/lease-lock.ts";
import type { RevocationWriteMarker } from "../../adapters/revocation-write-marker.ts";
import type { SessionTagStore } from "../../adapters/session-tag-store.ts";
import type { OktaUser, Organization } from "../../core/estate.ts";
import type { UserNameMapping } from "../../core/identity/user-name-format.ts";
import type { Policy } from "../../core/policy/schema.ts";
import type {
  CredentialAccount,
  CredentialAccountProblem,
  CredentialDiscoveryPort,
  CredentialRevocationPort,
  DenyProver,
  IdentityCenterUserPort,
  OktaUserPort,
  RevocationScpPort,
} from "../../core/ports.ts";
import type { UserReconcileTask } from "../../workflows/user-reconcile.ts";
import { retryableTasks } from "../shared/dependency-unavailable.ts";
import { applyDenies } from "./apply-denies.ts";
import { clearOktaSessions } from "./clear-okta-sessions.ts";
import type { CredentialProver } from "./credential-checks.ts";
import { liftCredentialDenies } from "./lift-credential-denies.ts";
import { liftDenies } from "./lift-denies.ts";
import type { ManagementAccountAccess } from "./management-account-access.ts";
import { planUserRunTask } from "./plan-user-run-task.ts";
import { readUserTruth } from "./read-user-truth.ts";
import { type RevokeCredentialsDeps, revokeCredentials } from "./revoke-credentials.ts";
import {
  hydrate,
  loadAssignmentDeletions,
  offloadPlan,
  offloadTruth,
  offloadVerification,
  type RunScratch,
  recordAssignmentDeletions,
  withTruthHead,
} from "./run-scratch.ts";
import type { UserRunHead, UserRunState } from "./run-state.ts";
import { verifyUserRun } from "./verify-user-run.ts";
import { writeUserEvidence } from "./write-user-evidence.ts";

export interface UserReconcileDeps {
  okta: OktaUserPort;
  identityCenter: IdentityCenterUserPort;
  /**
   * What the Deny path (ReadTruth, ApplyDeny) calls Identity Center through, when apart from the rest
   * of the run: in one process (the local runtime) its own SDK clients and rate limiter, so a burst's
   * read-backs and deletions never queue ahead of a leaver's Deny. @default identityCenter
   */
  denyPathIdentityCenter?: IdentityCenterUserPort;
  scps: RevocationScpPort;
  ledger: DenyLedger;
  /** Serializes the revocation writers of concurrent runs. */
  lock: LeaseLock;
  /** The ledger sequence last put in force (a burst's Denies carried by one write). */
  marker: RevocationWriteMarker;
  /**
   * The sso-admin budget the deployed functions share (adapters/shared-call-budget.ts): a revoking
   * run announces itself there so estate runs hold off while its deletions run. Absent locally,
   * where one process paces every run.
   */
  revocationPriority?: { announceRevocation(): Promise<void> };
  evidence: EvidenceStore;
  instanceArn: string;
  identityStoreId: string;
  managementAccountId: string | undefined;
  /** How the Deny tasks reach the management account (core/topology.ts). @default direct */
  managementAccess?: ManagementAccountAccess;
  holdMs: number;
  membershipSync: boolean;
  /**
   * The policy's rules and ownership: the plan step checks its plan against them
   * (core/plan/check-plan-scope.ts); its compromise signals (core/plan/plan-compromise.ts); its `abac`
   * section and permission sets, for the missing-attribute finding (judge-user-abac-attributes.ts).
   */
  policy: Pick<Policy, "rules" | "ownership"> &
    Partial<Pick<Policy, "compromiseSignals" | "revocation" | "credentials" | "abac" | "permissionSets">>;
  /**
   * What a leaver's credentials outside Identity Center are read and ended with (issue 16), used when
   * the policy has a `credentials` section. Absent: the credential tasks record that they were not wired.
   */
  credentialPorts?: CredentialPorts;
  sessionTagAttributes: readonly string[];
  sessionTags: SessionTagStore;
  /** The pipeline's record of Okta user id -> Identity Center user (finds deleted users). */
  links: IdentityLinks;
  /** policy `okta.identityCenterApp.externalIdIssuer` */
  externalIdIssuer: string | undefined;
  /** policy `okta.identityCenterApp.userNameFormat` / `userNameTemplate` */
  userNames: UserNameMapping;
  /** The events dispatch folded into a run, named in its evidence. */
  coalesced: CoalescedEvents;
  prover?: DenyProver;
  /** Where the run's truth, plan and deletion outcomes live, out of the state payload (run-scratch.ts). */
  scratch: RunScratch;
  now: () => string;
}

/** The adapters of the credential tasks (usecases/reconcile-user/revoke-credentials.ts). */
export interface CredentialPorts {
  discovery: CredentialDiscoveryPort;
  revocation: CredentialRevocationPort;
  organization: { readOrganization(): Promise<Pick<Organization, "accounts">> };
  /** Every Okta user, DEPROVISIONED included (adapters/okta listUsers). */
  listUsers(): Promise<OktaUser[]>;
  /** The apps Okta assigns a user to (adapters/okta listAppLinks). @default not checked */
  assignedApps?: RevokeCredentialsDeps["assignedApps"];
  describeProblem?: (
    account: CredentialAccount,
    roleName: string,
    error: unknown,
  ) => CredentialAccountProblem;
  prover?: CredentialProver;
}

/** Every user-reconcile Task handler, bound to its dependencies, by task name. */
export function userReconcileTasks(
  deps: UserReconcileDeps,
): Record<UserReconcileTask, (state: UserRunState) => Promise<unknown>> {
  const enforce = {
    ledger: deps.ledger,
    lock: deps.lock,
    marker: deps.marker,
    scps: deps.scps,
    identityCenter: deps.identityCenter,
    instanceArn: deps.instanceArn,
    managementAccountId: deps.managementAccountId,
    ...(deps.managementAccess ? { managementAccess: deps.managementAccess } : {}),
    massFallback: deps.policy.revocation?.massFallback ?? "ask",
    now: deps.now,
  };
  const { scratch } = deps;
  // Tasks that read the truth, the plan's lists or the deletion outcomes get them back from scratch.
  const hydrated =
    <T>(task: (state: UserRunState) => Promise<T>) =>
    async (state: UserRunState) =>
      task(await hydrate(scratch, state));
  // Tasks that read only the truth's Okta facts take them from its stand-in: no read of the whole truth.
  const withHead =
    <T>(task: (state: UserRunHead) => Promise<T>) =>
    async (state: UserRunState) =>
      task(await withTruthHead(scratch, state));
  // The Deny path's own lane (a burst's read-backs queue apart from it).
  const denyPath = deps.denyPathIdentityCenter ?? deps.identityCenter;
  const denyPathEnforce = { ...enforce, identityCenter: denyPath };
  const read = readUserTruth({ ...deps, identityCenter: denyPath });
  const plan = planUserRunTask(deps);
  const verify = verifyUserRun({ ...enforce, ...(deps.prover ? { prover: deps.prover } : {}) });
  const ports = deps.credentialPorts;
  // Without the ports a policy's credentials section cannot be acted on: the task says so in evidence.
  const credentials = ports ? deps.policy.credentials : undefined;
  const notWired = async () => ({
    ...(deps.policy.credentials
      ? { skipped: "the credential adapters are not wired in this deployment" }
      : {}),
    ended: 0,
    failed: 0,
    problems: 0,
    denyIds: [],
  });
  return retryableTasks("user-reconcile", {
    // After a Deny-first pass (ReadAccess) the read reuses that pass's Okta answer, kept in scratch.
    readUserTruth: async (state: UserRunState) =>
      offloadTruth(scratch, state.runId, await read(await hydrate(scratch, state))),
    planUserRun: async (state: UserRunState) =>
      offloadPlan(scratch, await plan(await hydrate(scratch, state))),
    applyDenies: async (state: UserRunState) => {
      if (state.plan?.decision === "revoke") await deps.revocationPriority?.announceRevocation();
      return applyDenies(denyPathEnforce)(state);
    },
    loadAssignmentDeletions: loadAssignmentDeletions(scratch, {
      managementAccountId: deps.managementAccountId,
      ...(deps.managementAccess ? { access: deps.managementAccess } : {}),
    }) as (state: unknown) => Promise<unknown>,
    recordAssignmentDeletions: recordAssignmentDeletions(scratch) as (state: unknown) => Promise<unknown>,
    clearOktaSessions: withHead(clearOktaSessions(deps)),
    verifyUserRun: async (state: UserRunState) =>
      offloadVerification(scratch, state.runId, await verify(await hydrate(scratch, state))),
    writeUserEvidence: hydrated(
      writeUserEvidence({
        store: deps.evidence,
        sessionTags: deps.sessionTags,
        coalesced: deps.coalesced,
        credentialRecord: (key) => scratch.get(key),
        now: deps.now,
      }),
    ),
    liftDenies: liftDenies(enforce),
    revokeCredentials: ports
      ? withHead(
          revokeCredentials({
            credentials,
            hold: deps.policy.revocation?.hold ?? `PT${Math.ceil(deps.holdMs / 1000)}S`,
            discovery: ports.discovery,
            revocation: ports.revocation,
            okta: { listUsers: () => ports.listUsers() },
            ...(ports.assignedApps ? { assignedApps: ports.assignedApps } : {}),
            organization: ports.organization,
            ledger: deps.ledger,
            enforce,
            ...(ports.describeProblem ? { describeProblem: ports.describeProblem } : {}),
            ...(ports.prover ? { prover: ports.prover } : {}),
            managementAccountId: deps.managementAccountId,
            scratch,
            now: deps.now,
          }),
        )
      : notWired,
    liftCredentialDenies: ports
      ? liftCredentialDenies({
          credentials,
          revocation: ports.revocation,
          ledger: deps.ledger,
          enforce,
          scratch,
          now: deps.now,
        })
      : async () => ({ skipped: "the credential adapters are not wired in this deployment" }),
  });
}
