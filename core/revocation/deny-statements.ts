import type { DenyEntry } from "../estate.ts";
import { sha256Hex } from "../evidence/hash-chain.ts";
import {
  type DenyCondition,
  type DenyStatement,
  identityCenterRolePattern,
  TOOL_SID_PREFIX,
} from "./deny-statement.ts";

/** Every session of the user, whatever role it runs in. */
const ALL_ROLES = "all";
type Roles = typeof ALL_ROLES | Set<string>;

/** What is denied to one user: per "issued before" instant (`""`: any session), which roles. */
type UserDenies = Map<string, Roles>;

/** Locale-independent order by UTF-16 code units. */
const byCodeUnits = (a: string, b: string) => Number(a > b) - Number(a < b);

/**
 * Kind of a statement, in the order SCP space is handed out: whole-user Denies (leavers) first, as
 * they are the ones that must never be left out; role-scoped (movers) next; "issued before" (attribute
 * changes) last.
 */
function statementKind(condition: DenyCondition): { rank: number; name: string } {
  if (condition.DateLessThan) return { rank: 2, name: "IssuedBefore" };
  if (condition.ArnLike) return { rank: 1, name: "Roles" };
  return { rank: 0, name: "AllSessions" };
}

/** The place of a statement's kind in the order SCP space is handed out (lower first). */
export function statementRank(condition: DenyCondition): number {
  return statementKind(condition).rank;
}

/** Builds a statement; its Sid is derived from the condition, so equal conditions get equal Sids. */
export function denyStatement(condition: DenyCondition): DenyStatement {
  const hash = sha256Hex(JSON.stringify(condition)).slice(0, 16);
  return {
    Sid: `${TOOL_SID_PREFIX}${statementKind(condition).name}${hash}`,
    Effect: "Deny",
    Action: "*",
    Resource: "*",
    Condition: condition,
  };
}

/** Orders statements by kind (see `statementKind`), then by their condition's JSON (users, roles, instant). */
export function compareStatements(a: DenyStatement, b: DenyStatement): number {
  const rank = statementKind(a.Condition).rank - statementKind(b.Condition).rank;
  return rank !== 0 ? rank : byCodeUnits(JSON.stringify(a.Condition), JSON.stringify(b.Condition));
}

function collectPerUser(denies: readonly DenyEntry[]): Map<string, UserDenies> {
  const perUser = new Map<string, UserDenies>();
  for (const deny of denies) {
    const userDenies = perUser.get(deny.userId) ?? new Map<string, Roles>();
    perUser.set(deny.userId, userDenies);
    const issuedBefore = deny.issuedBefore ?? "";
    const known = userDenies.get(issuedBefore) ?? new Set<string>();
    if (deny.scope === "all" || known === ALL_ROLES) {
      userDenies.set(issuedBefore, ALL_ROLES);
      continue;
    }
    const { permissionSetName, accountIds } = deny.scope;
    for (const accountId of accountIds) known.add(identityCenterRolePattern(accountId, permissionSetName));
    userDenies.set(issuedBefore, known);
  }
  return perUser;
}

function conditionFor(userIds: string[], issuedBefore: string, roles: Roles): DenyCondition {
  const condition: DenyCondition = { StringEquals: { "identitystore:userId": userIds } };
  if (roles !== ALL_ROLES) condition.ArnLike = { "aws:PrincipalArn": [...roles].sort(byCodeUnits) };
  if (issuedBefore !== "") condition.DateLessThan = { "aws:TokenIssueTime": issuedBefore };
  return condition;
}

/**
 * Renders Deny entries as IAM statements (see deny-statement.ts for the AWS sources):
 * - a leaver (scope `all`, no `issuedBefore`): Deny `*` on `*` when `identitystore:userId` is the user;
 * - a mover (scope: a permission set in some accounts): the same, and `ArnLike aws:PrincipalArn` one
 *   pattern per account for that permission set's `AWSReservedSSO_<name>_*` roles;
 * - an attribute change (`issuedBefore`): the same, and `DateLessThan aws:TokenIssueTime`.
 *
 * Users denied the same way share one statement (user ids sorted and deduplicated), and a user's
 * Denies are merged: an unconditional whole-user Deny makes every other Deny of that user redundant,
 * so none is written. The result is sorted and independent of the input order.
 */
export function denyStatements(denies: readonly DenyEntry[]): DenyStatement[] {
  const groups = new Map<string, { issuedBefore: string; roles: Roles; userIds: string[] }>();
  // Federated-sessions entries are no Identity Center user's (federated-denies.ts renders them).
  const identityCenter = denies.filter((d) => d.federated === undefined);
  for (const [userId, userDenies] of collectPerUser(identityCenter)) {
    const entries = userDenies.get("") === ALL_ROLES ? [["", ALL_ROLES] as const] : [...userDenies];
    for (const [issuedBefore, roles] of entries) {
      // A mover Deny over no account denies nothing; an empty ArnLike list would be invalid.
      if (roles !== ALL_ROLES && roles.size === 0) continue;
      const rolesKey = roles === ALL_ROLES ? ALL_ROLES : [...roles].sort(byCodeUnits).join(" ");
      const key = `${issuedBefore}|${rolesKey}`;
      const group = groups.get(key) ?? { issuedBefore, roles, userIds: [] };
      group.userIds.push(userId);
      groups.set(key, group);
    }
  }
  return [...groups.values()]
    .map((g) => denyStatement(conditionFor(g.userIds.sort(byCodeUnits), g.issuedBefore, g.roles)))
    .sort(compareStatements);
}
