import type { DenyLedger } from "../../adapters/deny-ledger.ts";
import type { DenyEntry } from "../../core/estate.ts";
import { denyInForce, denyKey } from "../../core/plan/deny-key.ts";
import type { UserTruth } from "../../core/plan/user-truth.ts";
import type { DenyProver, IdentityCenterUserPort, RevocationScpPort } from "../../core/ports.ts";
import { atomKey, policyAtoms, statementAtoms } from "../../core/revocation/deny-atoms.ts";
import { denyStatements } from "../../core/revocation/deny-statements.ts";
import { fallbackCovers } from "../../core/revocation/mass-fallback.ts";
import { LeaverBurstReads } from "./leaver-burst-reads.ts";
import { need, type UserRunState, type Verification } from "./run-state.ts";
import { settledOutcomes } from "./settled-outcome.ts";

export interface VerifyDeps {
  identityCenter: IdentityCenterUserPort;
  scps: RevocationScpPort;
  ledger: DenyLedger;
  managementAccountId: string | undefined;
  /** Evaluates the policies (local stack); without it, verification reads the policy text back. */
  prover?: DenyProver;
  now: () => string;
}

/** Whether the tool's statements in a policy document deny every session of the user. */
function deniesAllSessions(policyText: string, userId: string, deniedAt: string | undefined): boolean {
  // Or, past the room, the mass fallback: every session issued before its T, the Deny's moment included.
  return (
    policyAtoms(policyText).has(atomKey(userId, "", "*")) ||
    (deniedAt !== undefined && fallbackCovers(policyText, deniedAt))
  );
}

/** Whether the stored documents together deny everything a Deny entry covers. */
function enforced(deny: DenyEntry, documents: readonly string[]): boolean {
  const inForce = new Set(documents.flatMap((d) => [...policyAtoms(d)]));
  return [...statementAtoms(denyStatements([deny]))].every((atom) => inForce.has(atom));
}

/**
 * Task Verify: reads back what the run changed. The leaver has no membership and no direct
 * assignment left, the Deny is in the ledger, in an attached SCP and inline in the management
 * account's permission sets, and (where a prover is wired) evaluating the policies denies a session
 * of the user in every account they had access to. Failed operations fail verification; what the run
 * left out in the management account by design (delegated-admin without the management component) is
 * recorded as skipped and does not.
 */
export function verifyUserRun(deps: VerifyDeps) {
  // The management account's Deny placements, read back once for the leaver runs of a burst whose
  // Denies were in force before the read started (leaver-burst-reads.ts): 2 sso-admin calls each of
  // 1,000 leavers were half the account's 20 calls a second in a layoff (issue 17).
  const nowMs = () => Date.parse(deps.now());
  const provisionedReads = new LeaverBurstReads<
    Awaited<ReturnType<IdentityCenterUserPort["listProvisionedPermissionSets"]>>
  >(nowMs);
  const inlineReads = new LeaverBurstReads<string | null>(nowMs);
  return async (state: UserRunState): Promise<Verification> => {
    const truth = need(state.truth, "truth");
    const userId = need(truth.identityCenter.userId ?? undefined, "Identity Center user id");
    const details: Verification["details"] = [];
    const check = (name: string, passed: boolean, detail?: string) =>
      details.push({ check: name, passed, ...(detail ? { detail } : {}) });
    // What the run left out in the management account by design (no management component): recorded
    // as skipped, with the findings that say why, rather than failed.
    const skipped = (name: string, passed: boolean, reason: string | undefined) =>
      passed || reason === undefined
        ? check(name, passed)
        : details.push({ check: name, passed: false, skipped: reason });
    const managementDenySkipped = state.deny?.skipped?.find(
      (s) => s.placement === "management-account",
    )?.reason;
    const skippedDeletions = state.skippedDeletions ?? [];
    // Any operation that did not succeed fails the run, whichever branch planned it.
    const failed = [
      ...settledOutcomes(state.deletions),
      ...settledOutcomes(state.removals),
      ...settledOutcomes(state.additions),
      ...settledOutcomes(state.denyProvisioning),
    ].filter((o) => o.status !== "SUCCEEDED");
    check(
      "every operation succeeded",
      failed.length === 0,
      failed.length ? `${failed.length} failed` : undefined,
    );
    if (need(state.plan, "plan").decision === "adjust")
      return verifyAdjustment(deps, state, userId, details, check);

    const [memberships, direct, ledger, scps] = await Promise.all([
      deps.identityCenter.listUserGroupMemberships(userId),
      deps.identityCenter.listAssignmentsForPrincipal(userId, "USER"),
      deps.ledger.list(),
      deps.scps.listRevocationScps(),
    ]);
    check("no group membership left", memberships.length === 0, memberships.map((m) => m.groupId).join(", "));
    // A deleted user's assignments may stay listed (AWS ends their deletion FAILED with a 404): they
    // grant nobody anything, and the Deny below covers the sessions the user still holds.
    const deleted =
      truth.identityCenter.resolution?.outcome === "resolved" && truth.identityCenter.resolution.deleted;
    // Asked only when an assignment is still listed: with none there is nothing for it to excuse.
    const userGone =
      deleted || (direct.length > 0 && (await deps.identityCenter.describeUser(userId)) === null);
    const wasSkipped = (a: { accountId: string; permissionSetArn: string }) =>
      skippedDeletions.find((d) => d.accountId === a.accountId && d.permissionSetArn === a.permissionSetArn);
    const remaining = direct.filter((a) => wasSkipped(a) === undefined);
    check(
      userGone
        ? "no direct assignment left (orphaned ones of the deleted user grant nothing)"
        : "no direct assignment left",
      userGone || remaining.length === 0,
      remaining.map((a) => a.accountId).join(", "),
    );
    for (const a of direct) {
      const reason = wasSkipped(a)?.reason;
      if (reason !== undefined)
        skipped(
          `no assignment of ${a.permissionSetArn} left in ${a.accountId} (management account)`,
          userGone,
          reason,
        );
    }
    const now = deps.now();
    const leaverDeny = ledger.find(
      (l) => l.deny.userId === userId && l.deny.scope === "all" && denyInForce(l.deny, now),
    )?.deny;
    check("Deny recorded in the ledger", leaverDeny !== undefined);
    const deniedAt = leaverDeny?.createdAt;
    const scpTexts = scps.map((s) => s.content);
    check(
      "Deny in an attached SCP",
      scpTexts.some((t) => deniesAllSessions(t, userId, deniedAt)),
    );

    const inline: string[] = [];
    const managementAccountId = deps.managementAccountId;
    if (managementAccountId !== undefined) {
      const inForceAt = state.deny?.inForceAt;
      const afterDeny = inForceAt === undefined ? Date.parse(now) : Date.parse(inForceAt);
      const provisioned = await provisionedReads.get(
        managementAccountId,
        () => deps.identityCenter.listProvisionedPermissionSets(managementAccountId),
        afterDeny,
      );
      for (const p of provisioned) {
        const text = await inlineReads.get(
          p.permissionSetArn,
          () => deps.identityCenter.getInlinePolicy(p.permissionSetArn),
          afterDeny,
        );
        if (text) inline.push(text);
        skipped(
          `Deny inline in ${p.permissionSetArn} (management account)`,
          text !== null && deniesAllSessions(text, userId, deniedAt),
          managementDenySkipped,
        );
      }
    }
    if (deps.prover) {
      // The names ReadTruth read (one listing a burst shares), else a listing of this run's own.
      const names = new Map(
        truth.permissionSetNames !== undefined
          ? Object.entries(truth.permissionSetNames)
          : (await deps.identityCenter.listPermissionSets()).map((p) => [p.arn, p.name]),
      );
      // The sessions a leaver still holds were issued before the Deny (Okta had deactivated them).
      const tokenIssuedAt = deniedAt
        ? { tokenIssuedAt: new Date(Date.parse(deniedAt) - 1000).toISOString() }
        : {};
      for (const proof of denyProofs(truth, deps.managementAccountId)) {
        const permissionSetName = names.get(proof.permissionSetArn) ?? proof.permissionSetArn;
        const management = proof.accountIds[0] === deps.managementAccountId;
        const denied = await deps.prover.isDenied({
          userId,
          accountId: proof.accountIds[0] as string,
          permissionSetName,
          scps: management ? [] : scpTexts,
          inline: management ? inline : [],
          ...tokenIssuedAt,
        });
        skipped(
          proof.accountIds.length === 1
            ? `a ${permissionSetName} session in ${proof.accountIds[0]} is denied (policy evaluation)`
            : `a ${permissionSetName} session in each of ${proof.accountIds.length} member accounts is denied (policy evaluation in ${proof.accountIds[0]}; the revocation SCPs apply to every member account from the root)`,
          denied,
          management ? managementDenySkipped : undefined,
        );
      }
    }
    return {
      passed: details.every((d) => d.passed || d.skipped !== undefined),
      verifiedAt: deps.now(),
      details,
    };
  };
}

/** Read-back of a joiner / mover run: memberships as planned, Denies in force or lifted as planned. */
async function verifyAdjustment(
  deps: VerifyDeps,
  state: UserRunState,
  userId: string,
  details: Verification["details"],
  check: (name: string, passed: boolean, detail?: string) => void,
): Promise<Verification> {
  const plan = need(state.plan, "plan");
  const [memberships, ledger, scps] = await Promise.all([
    deps.identityCenter.listUserGroupMemberships(userId),
    deps.ledger.list(),
    deps.scps.listRevocationScps(),
  ]);
  const groups = new Set(memberships.map((m) => m.groupId));
  for (const a of plan.membershipAdditions) check(`member of ${a.GroupId}`, groups.has(a.GroupId));
  const removed = new Set(plan.membershipRemovals.map((r) => r.MembershipId));
  check("stale memberships removed", !memberships.some((m) => removed.has(m.membershipId)));
  const inLedger = new Set(ledger.map((l) => denyKey(l.deny)));
  for (const d of plan.denies) check(`${d.reason} Deny recorded`, inLedger.has(denyKey(d)));
  for (const d of plan.lifts) check(`${d.reason} Deny lifted`, !inLedger.has(denyKey(d)));
  if (plan.denies.length > 0)
    check(
      "Deny in an attached SCP",
      plan.denies.every((d) =>
        enforced(
          d,
          scps.map((s) => s.content),
        ),
      ),
    );
  return { passed: details.every((d) => d.passed), verifiedAt: deps.now(), details };
}

/**
 * The proofs a leaver's read-back evaluates: every member account sees the same revocation SCPs (at
 * the root) and no inline policy, so one evaluation per permission set stands for all of them (the
 * account is only the role ARN's, which no Deny names; evaluating each of 1,000 accounts for each of
 * 1,000 leavers was the local layoff's bottleneck). The management account, where the Deny is inline
 * in each set, is proved on its own.
 */
function denyProofs(
  truth: UserTruth,
  managementAccountId: string | undefined,
): { permissionSetArn: string; accountIds: string[] }[] {
  const bySet = new Map<string, Set<string>>();
  const proofs: { permissionSetArn: string; accountIds: string[] }[] = [];
  for (const a of [...truth.identityCenter.directAssignments, ...truth.identityCenter.groupAssignments]) {
    if (a.accountId === managementAccountId) {
      if (!proofs.some((p) => p.permissionSetArn === a.permissionSetArn && p.accountIds[0] === a.accountId))
        proofs.push({ permissionSetArn: a.permissionSetArn, accountIds: [a.accountId] });
      continue;
    }
    const accounts = bySet.get(a.permissionSetArn) ?? new Set<string>();
    accounts.add(a.accountId);
    bySet.set(a.permissionSetArn, accounts);
  }
  for (const [permissionSetArn, accounts] of bySet)
    proofs.push({ permissionSetArn, accountIds: [...accounts].sort() });
  return proofs;
}
