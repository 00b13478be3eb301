import type { LedgerDeny } from "../adapters/deny-ledger.ts";
import { atomKey, policyAtoms } from "../core/revocation/deny-atoms.ts";
import type { IdentityCenterSnapshot } from "../local/emulators/identity-center/snapshot.ts";
import type { OrganizationsSnapshot } from "../local/emulators/organizations/snapshot.ts";
import { assignmentKey, type Oracle } from "./oracle.ts";

/**
 * The checks a chaos history must pass, each returning divergences in words (empty: it held). They
 * read plain snapshots, so they are unit-testable without a stack.
 */

/** Identity Center's group assignments, by names, for the pairs the policy owns. */
function ownedAssignments(ic: IdentityCenterSnapshot, oracle: Oracle): Set<string> {
  const groupName = new Map(ic.groups.map((g) => [g.groupId, g.displayName ?? g.groupId]));
  const setName = new Map(ic.permissionSets.map((p) => [p.arn, p.name]));
  const owned = new Set<string>();
  for (const a of ic.assignments) {
    if (a.principalType !== "GROUP") continue;
    const group = groupName.get(a.principalId) ?? a.principalId;
    const set = setName.get(a.permissionSetArn) ?? a.permissionSetArn;
    if (oracle.owns(group, set)) owned.add(assignmentKey(group, set, a.accountId));
  }
  return owned;
}

/** Identity Center equals the oracle for every group assignment the policy owns. */
export function checkAssignments(ic: IdentityCenterSnapshot, oracle: Oracle): string[] {
  const actual = ownedAssignments(ic, oracle);
  const expected = new Set(
    [...oracle.assignments].filter((k) => {
      const [group = "", set = ""] = k.split("|");
      return oracle.owns(group, set);
    }),
  );
  return [
    ...[...expected].filter((k) => !actual.has(k)).map((k) => `missing assignment ${k}`),
    ...[...actual].filter((k) => !expected.has(k)).map((k) => `assignment the policy does not grant ${k}`),
  ];
}

/**
 * No user who must have no access keeps a membership or a direct assignment. While Denies are held,
 * `denied` names the Identity Center users whose every session is denied (ledger and SCPs): a
 * membership SCIM pushed after their leaver run (a push queued before the deactivation, delayed)
 * grants them nothing then, and the estate reconcile removes it; after the holds, nothing is excused.
 */
export function checkNoAccess(
  ic: IdentityCenterSnapshot,
  oracle: Oracle,
  denied: ReadonlySet<string> = new Set(),
): string[] {
  const problems: string[] = [];
  const byName = new Map(ic.users.map((u) => [u.userName, u.userId]));
  const groupName = new Map(ic.groups.map((g) => [g.groupId, g.displayName ?? g.groupId]));
  for (const login of oracle.noAccess) {
    const userId = byName.get(login);
    if (userId === undefined || denied.has(userId)) continue;
    for (const m of ic.memberships.filter((m) => m.userId === userId)) {
      problems.push(`inactive user ${login} is still in ${groupName.get(m.groupId) ?? m.groupId}`);
    }
    for (const a of ic.assignments.filter((a) => a.principalType === "USER" && a.principalId === userId)) {
      problems.push(`inactive user ${login} still has a direct assignment in ${a.accountId}`);
    }
  }
  return problems;
}

/** Identity Center users with a Deny of all their sessions in the ledger and in the SCPs. */
export function fullyDenied(org: OrganizationsSnapshot, ledger: readonly LedgerDeny[]): Set<string> {
  const atoms = scpAtoms(org);
  return new Set(
    ledger
      .filter((d) => d.deny.scope === "all" && d.deny.issuedBefore === undefined)
      .map((d) => d.deny.userId)
      .filter((userId) => atoms.has(atomKey(userId, "", "*"))),
  );
}

/** The atoms (user | issued-before | role pattern) of the tool's revocation SCPs. */
export function scpAtoms(org: OrganizationsSnapshot): Set<string> {
  const atoms = new Set<string>();
  for (const p of org.policies) {
    if (p.awsManaged) continue;
    for (const atom of policyAtoms(p.content)) atoms.add(atom);
  }
  return atoms;
}

/**
 * Every user who must have no access and went inactive less than `holdMs` ago has a Deny of all
 * their sessions in force: in the ledger and in the SCPs.
 */
export function checkDenyInForce(input: {
  ic: IdentityCenterSnapshot;
  org: OrganizationsSnapshot;
  ledger: LedgerDeny[];
  oracle: Oracle;
  /** When each login last went inactive (epoch ms). */
  inactiveSince: Map<string, number>;
  /** Logins whose Deny was lifted after its hold (their run wrote a lift record). */
  lifted: Set<string>;
  holdMs: number;
  now: number;
}): string[] {
  const problems: string[] = [];
  const byName = new Map(input.ic.users.map((u) => [u.userName, u.userId]));
  const atoms = scpAtoms(input.org);
  for (const login of input.oracle.noAccess) {
    const since = input.inactiveSince.get(login);
    const userId = byName.get(login);
    if (since === undefined || userId === undefined) continue;
    if (input.now - since >= input.holdMs || input.lifted.has(login)) continue;
    const inLedger = input.ledger.some((d) => d.deny.userId === userId && d.deny.scope === "all");
    if (!inLedger) problems.push(`inactive user ${login} has no Deny in the ledger within its hold`);
    if (!atoms.has(atomKey(userId, "", "*"))) {
      problems.push(`inactive user ${login} has no Deny in the revocation SCPs within its hold`);
    }
  }
  return problems;
}

/** A Deny's identity across the ledger and the evidence: user and scope (`all` or a permission set). */
export const denyIdentity = (userId: string, scope: "all" | { permissionSetName: string }) =>
  `${userId}|${scope === "all" ? "all" : scope.permissionSetName}`;

/**
 * After every run has ended: no Deny left in the ledger past its hold, none in the SCPs without a
 * ledger entry. A user run holds its Deny for the local Hold (`holdMs`: the local stack shortens the
 * workflow's wait, not the expiry it records) and then lifts it; an estate run's Deny (`estateDenies`,
 * by {@link denyIdentity}) stays until its recorded expiry, when a later estate run lifts it.
 */
export function checkNoDenyOutlivesHold(input: {
  org: OrganizationsSnapshot;
  ledger: LedgerDeny[];
  holdMs: number;
  estateDenies: Set<string>;
  now: number;
}): string[] {
  const ends = (d: LedgerDeny) => {
    const expiry = Date.parse(d.deny.expiresAt);
    return input.estateDenies.has(denyIdentity(d.deny.userId, d.deny.scope))
      ? expiry
      : Math.min(expiry, Date.parse(d.deny.createdAt) + input.holdMs);
  };
  const problems = input.ledger
    .filter((d) => ends(d) <= input.now)
    .map(
      (d) =>
        `Deny ${d.denyId} (${d.deny.reason}, user ${d.deny.userId}, since ${d.deny.createdAt}) outlived its hold`,
    );
  const ledgerUsers = new Set(input.ledger.map((d) => d.deny.userId));
  for (const atom of scpAtoms(input.org)) {
    const [userId = ""] = atom.split("|");
    if (!ledgerUsers.has(userId)) problems.push(`SCP Deny for user ${userId} has no ledger entry`);
  }
  return problems;
}

/** Every event the pipeline accepted for a user names a run's evidence record. */
export function checkEventsAccounted(accepted: Iterable<string>, inEvidence: Set<string>): string[] {
  return [...accepted]
    .filter((id) => !inEvidence.has(id))
    .map((id) => `accepted event ${id} is named in no evidence record`);
}
