import type { DenyLedger } from "../../adapters/deny-ledger.ts";
import type { CredentialAction } from "../../core/credentials/credential-action.ts";
import type { CredentialFinding } from "../../core/credentials/credential-finding.ts";
import {
  type AssignedFederationCandidate,
  federationAppFindings,
  federationAppUnreadable,
} from "../../core/credentials/federation-app-assignment.ts";
import type { IamUser, OktaPerson } from "../../core/credentials/iam-user.ts";
import { mapIamUsers } from "../../core/credentials/map-iam-users.ts";
import { planCredentialRevocation } from "../../core/credentials/plan-credential-revocation.ts";
import { errorText } from "../../core/error-text.ts";
import type { OktaUser, Organization } from "../../core/estate.ts";
import type { ActionOutcome } from "../../core/evidence/record.ts";
import type { CredentialsPolicySection } from "../../core/policy/credentials-policy.ts";
import type {
  CredentialAccount,
  CredentialAccountProblem,
  CredentialDiscoveryPort,
  CredentialRevocationPort,
} from "../../core/ports.ts";
import { federatedDenyEntry } from "../../core/revocation/federated-denies.ts";
import type { FederatedMassFallback } from "../../core/revocation/federated-mass-fallback.ts";
import { credentialAccounts, oktaPerson } from "../reconcile-estate/credential-accounts.ts";
import { isTransient } from "../shared/dependency-unavailable.ts";
import { type CredentialChecks, type CredentialProver, checkCredentials } from "./credential-checks.ts";
import { type EnforceDeniesDeps, enforceDenies } from "./enforce-denies.ts";
import type { RunScratch } from "./run-scratch.ts";
import { scratchKey } from "./run-scratch.ts";
import { need, type ScpCapacity, type UserRunHead } from "./run-state.ts";

export interface RevokeCredentialsDeps {
  /** policy `credentials`; absent: the task does nothing. */
  credentials: CredentialsPolicySection | undefined;
  /** policy `revocation.hold`: how long the federated Denies stay. */
  hold: string;
  discovery: CredentialDiscoveryPort;
  revocation: CredentialRevocationPort;
  /** Every Okta user (DEPROVISIONED included): the people who could claim the leaver's IAM users. */
  okta: { listUsers(): Promise<OktaUser[]> };
  /**
   * The apps Okta assigns a user to (adapters/okta listAppLinks): a leaver still assigned the AWS
   * Account Federation app is a finding. Absent: not checked.
   */
  assignedApps?: (oktaUserId: string) => Promise<AssignedFederationCandidate[]>;
  /** The Organization's accounts, read as the estate runs read them (adapters/organizations.ts). */
  organization: { readOrganization(): Promise<Pick<Organization, "accounts">> };
  ledger: DenyLedger;
  /** Re-renders the revocation SCPs from the ledger under the revocation lease (enforce-denies.ts). */
  enforce: EnforceDeniesDeps;
  /** Turns an account-wide failure (a role not assumable) into the account's finding (adapters/iam/account-problem.ts). */
  describeProblem?: (
    account: CredentialAccount,
    roleName: string,
    error: unknown,
  ) => CredentialAccountProblem;
  /** Proves the Denies by policy evaluation (the local stack); absent in AWS. */
  prover?: CredentialProver;
  managementAccountId: string | undefined;
  scratch: RunScratch;
  now: () => string;
}

/** An inline federated Deny on an Okta-trusting role, lifted after the hold. */
export interface RoleDeny {
  accountId: string;
  roleName: string;
  policyName: string;
  liftAt: string;
}

/** Everything the credential step did, kept in the run's scratch space for the evidence. */
export interface CredentialRunRecord {
  accounts: { accountId: string; name: string; inOrganization: boolean }[];
  problems: CredentialAccountProblem[];
  findings: CredentialFinding[];
  /** One per credential ended (or not), target = the CredentialEvidence fields. */
  outcomes: ActionOutcome[];
  checks: CredentialChecks;
  roleDenies: RoleDeny[];
  /** Why the federated Deny is in no SCP: SCPs disabled on the root, or no room left. @default absent */
  scpSkipped?: string;
  /** The reason is no room left (the SCPs overflowed), not SCPs disabled. @default false */
  scpUncovered?: boolean;
  /**
   * The federated Deny fit in no SCP and the federated mass fallback (policy `massFallback: auto`) covers
   * the leaver: every Okta-trusting role session issued before its T is denied. @default absent
   */
  federatedFallback?: FederatedMassFallback;
  /**
   * What the last SCP write of the step found about the slots' room (its Identity Center and federated
   * mass fallbacks, users left uncovered): it re-renders every Deny, so its fallbacks can name more
   * users than the Identity Center Deny's write did. @default absent
   */
  scpCapacity?: ScpCapacity;
}

/** What the state carries: counts, and what the lift needs. */
export interface CredentialRunSummary {
  skipped?: string;
  scratchKey?: string;
  ended: number;
  failed: number;
  problems: number;
  /** The federated Deny fit in no SCP (alarmed as dropped). @default absent */
  uncovered?: boolean;
  /** The federated mass fallback covers the leaver (alarmed as a mass fallback). @default absent */
  fallback?: boolean;
  /** Ledger ids of the federated-sessions Denies this run added. */
  denyIds: string[];
  /** When the federated Denies (ledger or role) are lifted; absent when there is nothing to lift. */
  liftAt?: string;
}

export const credentialScratchKey = (runId: string) => scratchKey(runId, "credentials");

const genericProblem = (
  account: CredentialAccount,
  roleName: string,
  error: unknown,
): CredentialAccountProblem => ({
  accountId: account.accountId,
  code: "revocation-failed",
  message: `${account.name} (${account.accountId}): nothing could be changed through ${roleName} (${errorText(error)})`,
  fix: "check the revocation role in this account (docs/credentials.md); the next run tries again",
});

/**
 * Task RevokeCredentials (issue 16): a leaver's credentials outside Identity Center. Reads every
 * account's IAM users and Okta-trusting roles (Organization accounts and `credentials.accounts`), maps
 * the IAM users that could be the leaver's against every Okta user who could claim them (a name two
 * people fit is a finding, never a guess), plans, records the federated-sessions Deny in the ledger and
 * re-renders the revocation SCPs, then applies each account's IAM changes through its revocation role.
 * One account failing is a problem for that account; the others complete.
 */
export function revokeCredentials(deps: RevokeCredentialsDeps) {
  return async (state: UserRunHead): Promise<CredentialRunSummary> => {
    const none = (skipped: string): CredentialRunSummary => ({
      skipped,
      ended: 0,
      failed: 0,
      problems: 0,
      denyIds: [],
    });
    const { credentials } = deps;
    if (credentials === undefined) return none("the policy has no credentials section");
    const plan = need(state.plan, "plan");
    if (plan.decision !== "revoke") return none(`not a leaver (decision ${plan.decision})`);
    // The run's start, not the clock: a retried attempt records the same ledger entry (its id is
    // derived from it), so the lift after the hold finds it.
    const now = plan.startedAt ?? deps.now();
    const problems: CredentialAccountProblem[] = [];

    let organization: Pick<Organization, "accounts">;
    try {
      organization = await deps.organization.readOrganization();
    } catch (error) {
      if (isTransient(error)) throw error;
      organization = { accounts: [] };
      problems.push({
        accountId: "organization",
        code: "organization-unreadable",
        message: `the Organization's accounts could not be listed (${errorText(error)}): only credentials.accounts were read`,
        fix: "check organizations:ListAccounts for the user-reconcile role; the next run reads them",
      });
    }
    const accounts = credentialAccounts(organization, credentials);
    const [discovered, people] = await Promise.all([
      deps.discovery.discover(accounts, { runId: state.runId }),
      deps.okta.listUsers(),
    ]);
    problems.push(...discovered.problems);
    const leaver = leaverPerson(state, people);
    const mapping = {
      ownerTags: credentials.iamUsers.ownerTags,
      namingRules: credentials.iamUsers.namingRules,
      breakGlass: credentials.breakGlass,
    };
    // Only the IAM users the leaver could own, mapped against everyone: a name that fits two people is ambiguous.
    const users = discovered.accounts.flatMap((a) => a.users);
    const candidates: IamUser[] = mapIamUsers(users, [leaver], mapping)
      .ownerships.filter((o) => o.outcome === "mapped" || o.outcome === "ambiguous")
      .map((o) => o.user);
    const everyone = [...people.map(oktaPerson).filter((p) => p.id !== leaver.id), leaver];
    const owned = mapIamUsers(candidates, everyone, mapping);
    const roles = discovered.accounts.flatMap((a) => a.oktaTrustingRoles);
    const federationApp = await checkFederationApp(deps, leaver, credentials.federation.oktaAppId);
    const revocationPlan = planCredentialRevocation({
      leaver,
      ownerships: owned.ownerships,
      oktaTrustingRoles: roles,
      credentials,
      ...(deps.managementAccountId === undefined ? {} : { managementAccountId: deps.managementAccountId }),
      hold: deps.hold,
      now,
    });

    const outcomes: ActionOutcome[] = [];
    const denyIds: string[] = [];
    let scpSkipped: string | undefined;
    let scpUncovered = false;
    let federatedFallback: FederatedMassFallback | undefined;
    let scpCapacity: ScpCapacity | undefined;
    for (const action of revocationPlan.actions) {
      if (action.kind !== "federated-deny.scp") continue;
      const startedAt = deps.now();
      const entry = federatedDenyEntry({
        oktaUserId: leaver.id,
        statements: action.statements,
        createdAt: now,
        liftAt: action.liftAt,
        roleArns: action.roleArns,
      });
      denyIds.push(await deps.ledger.add(entry));
      const ledgerSeq = await deps.ledger.advance();
      const enforced = await enforceDenies(deps.enforce, { runId: state.runId, ledgerSeq });
      const uncovered = enforced.scpCapacity?.uncovered?.includes(entry.userId) === true;
      scpCapacity = enforced.scpCapacity;
      const fallback = enforced.scpCapacity?.federatedFallback;
      if (fallback?.userIds.includes(entry.userId)) federatedFallback = fallback;
      const refused = enforced.failures.find((f) => f.placement === "scp");
      const skipped = enforced.skipped.find((s) => s.placement === "scp");
      // SCPs disabled on the root leave the placement out by design: a finding (and the skipped-placement
      // alarm the Identity Center Deny raises too), not a failed action.
      if (skipped && !refused) {
        scpSkipped = skipped.reason;
        continue;
      }
      // No SCP room left and no fallback covering it (massFallback: ask, or no Okta-trusting role known):
      // these sessions end when they expire. A finding and the dropped alarm.
      if (uncovered && !refused) {
        scpSkipped =
          "no revocation SCP had room for the federated Deny (the slots are full; docs/deploy.md, revocation SCP slots): these sessions end when they expire";
        scpUncovered = true;
        continue;
      }
      const error = refused?.error ?? null;
      outcomes.push(
        outcomeOf(action, error === null ? "SUCCEEDED" : "FAILED", error, startedAt, enforced.at),
      );
    }
    const roleDenies: RoleDeny[] = [];
    for (const account of accounts) {
      const own = revocationPlan.actions.filter((a) => "accountId" in a && a.accountId === account.accountId);
      if (own.length === 0) continue;
      const startedAt = deps.now();
      try {
        const results = await deps.revocation.apply(account, own, { runId: state.runId });
        const finishedAt = deps.now();
        for (const r of results) {
          outcomes.push(
            outcomeOf(
              r.action,
              r.status,
              r.status === "FAILED" ? (r.error ?? "failed") : null,
              startedAt,
              finishedAt,
            ),
          );
          if (r.action.kind === "federated-deny.role" && r.status === "SUCCEEDED")
            roleDenies.push({
              accountId: account.accountId,
              roleName: r.action.roleName,
              policyName: r.action.policyName,
              liftAt: r.action.liftAt,
            });
        }
      } catch (error) {
        if (isTransient(error)) throw error;
        const problem = (deps.describeProblem ?? genericProblem)(account, account.roles.revocation, error);
        problems.push(problem);
        for (const action of own)
          outcomes.push(outcomeOf(action, "FAILED", problem.message, startedAt, deps.now()));
      }
    }
    const checks = await checkCredentials(deps, {
      leaver,
      accounts,
      roles,
      actions: revocationPlan.actions,
      outcomes,
      sessionIssuedBefore: now,
      ...(federatedFallback ? { fallbackIssuedBefore: federatedFallback.issuedBefore } : {}),
      ...(scpSkipped ? { scpSkipped } : {}),
    });
    const record: CredentialRunRecord = {
      accounts: accounts.map(({ accountId, name, inOrganization }) => ({ accountId, name, inOrganization })),
      problems,
      findings: [...owned.findings, ...revocationPlan.findings, ...federationApp],
      outcomes,
      checks,
      roleDenies,
      ...(scpSkipped ? { scpSkipped } : {}),
      ...(scpUncovered ? { scpUncovered } : {}),
      ...(federatedFallback ? { federatedFallback } : {}),
      ...(scpCapacity ? { scpCapacity } : {}),
    };
    const liftAt = denyIds.length > 0 || roleDenies.length > 0 ? liftAtOf(revocationPlan.actions) : undefined;
    const key = credentialScratchKey(state.runId);
    await deps.scratch.put(key, record);
    return {
      scratchKey: key,
      ended: outcomes.filter((o) => o.status === "SUCCEEDED").length,
      failed: outcomes.filter((o) => o.status === "FAILED").length,
      problems: problems.length,
      denyIds,
      ...(scpUncovered ? { uncovered: true } : {}),
      ...(scpCapacity?.massFallback || scpCapacity?.federatedFallback ? { fallback: true } : {}),
      ...(liftAt === undefined ? {} : { liftAt }),
    };
  };
}

/** Okta-side: the leaver should no longer be assigned the AWS Account Federation app (issue 16). */
async function checkFederationApp(
  deps: RevokeCredentialsDeps,
  leaver: OktaPerson,
  oktaAppId: string | undefined,
): Promise<CredentialFinding[]> {
  if (deps.assignedApps === undefined) return [];
  try {
    return federationAppFindings({ leaver, assigned: await deps.assignedApps(leaver.id), oktaAppId });
  } catch (error) {
    if (isTransient(error)) throw error;
    return [federationAppUnreadable(leaver, errorText(error))];
  }
}

/** The federated Denies' lift instant (one per plan: now + the hold). */
function liftAtOf(actions: readonly CredentialAction[]): string | undefined {
  for (const a of actions)
    if (a.kind === "federated-deny.scp" || a.kind === "federated-deny.role") return a.liftAt;
  return undefined;
}

/** The leaver as Okta has them now; a person Okta deleted is known by the run's login alone. */
function leaverPerson(state: UserRunHead, people: readonly OktaUser[]): OktaPerson {
  const found = people.find((p) => p.id === state.user.id);
  if (found) return oktaPerson(found);
  const login = state.truth?.okta.login ?? state.user.login ?? state.user.id;
  return { id: state.user.id, login, email: null, status: "DEPROVISIONED", profile: {} };
}

function outcomeOf(
  action: CredentialAction,
  status: "SUCCEEDED" | "FAILED",
  error: string | null,
  startedAt: string,
  finishedAt: string,
): ActionOutcome {
  const { evidence } = action;
  return {
    kind: action.kind,
    target: {
      accountId: evidence.accountId,
      principal: evidence.principal,
      credential: evidence.credential,
      credentialId: evidence.credentialId,
    },
    requestId: null,
    status,
    error,
    ...(status === "SUCCEEDED" ? { note: `ended: ${evidence.ended}` } : {}),
    startedAt,
    finishedAt,
    attempts: 1,
  };
}
