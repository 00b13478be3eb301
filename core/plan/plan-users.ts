import type {
  Assignment,
  DenyEntry,
  IdentityCenterState,
  OktaTruth,
  OktaUser,
  OktaUserStatus,
} from "../estate.ts";
import { identityCenterUserName, userNameMappingOf } from "../identity/user-name-format.ts";
import type { Policy } from "../policy/schema.ts";
import { denyInForce, scopedPairs } from "./deny-key.ts";
import type { Finding, PlanAction } from "./plan.ts";
import type { ResolvedRule } from "./resolve-rules.ts";

/** Okta statuses that end access. SCIM sends nothing for SUSPENDED, so the tool must act on it. */
const LEAVER_STATUSES: ReadonlySet<OktaUserStatus> = new Set(["SUSPENDED", "DEPROVISIONED"]);

/** Okta statuses before activation: SCIM has nothing to push yet. */
const NOT_YET_ACTIVE: ReadonlySet<OktaUserStatus> = new Set(["STAGED", "PROVISIONED"]);

export function isLeaverStatus(status: OktaUserStatus): boolean {
  return LEAVER_STATUSES.has(status);
}

/**
 * Whether Okta's answer makes the user a leaver: a leaver status, or one Okta is moving them to (a
 * deactivation reads ACTIVE with `transitioningToStatus: DEPROVISIONED` until it completes; waiting for
 * it would leave access in place until the next estate run).
 */
export function isLeaver(user: Pick<OktaUser, "status" | "transitioningToStatus">): boolean {
  return (
    isLeaverStatus(user.status) ||
    (user.transitioningToStatus != null && isLeaverStatus(user.transitioningToStatus))
  );
}

/** A user's status in words, with the one Okta is moving them to. */
export function describeStatus(user: Pick<OktaUser, "status" | "transitioningToStatus">): string {
  return user.transitioningToStatus != null
    ? `${user.status}, transitioning to ${user.transitioningToStatus}`
    : user.status;
}

/**
 * The Identity Center user name of an Okta user, lower-cased for matching: what the AWS IAM Identity
 * Center app's username format gives them (policy `okta.identityCenterApp`), the login when the format
 * has nothing to give.
 */
export function icNameOf(policy: Policy, user: OktaUser): string {
  const mapping = userNameMappingOf(policy.okta.identityCenterApp);
  return (identityCenterUserName(user, mapping) ?? user.login).toLowerCase();
}

/** Identity Center user ids whose Okta user is a leaver (matched by the app's username format). */
export function leaverUserIds(policy: Policy, okta: OktaTruth, ic: IdentityCenterState): Set<string> {
  const leavers = new Set(okta.users.filter((u) => isLeaver(u)).map((u) => icNameOf(policy, u)));
  return new Set(ic.users.filter((u) => leavers.has(u.userName.toLowerCase())).map((u) => u.userId));
}

export interface UserPlanContext {
  policy: Policy;
  okta: OktaTruth;
  identityCenter: IdentityCenterState;
  rules: readonly ResolvedRule[];
  /** Assignments as they will stand once the assignment plan is applied. */
  assignmentsAfter: readonly Assignment[];
  now: string;
  /**
   * When Okta's truth was requested. A Deny recorded after it (by a leaver run that saw newer truth
   * while this read was under way) is never lifted on this read's word. @default now
   */
  oktaReadAt?: string;
  /** When a new Deny expires. */
  denyExpiresAt: string;
}

export interface UserPlan {
  actions: PlanAction[];
  findings: Finding[];
}

/** `(permission set arn, account)` pairs as strings. */
function pairsOf(assignments: readonly Assignment[]): Set<string> {
  return new Set(assignments.map((a) => `${a.permissionSetArn}|${a.accountId}`));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/**
 * Plans what each Identity Center user's Okta truth requires: leavers lose every membership and
 * direct assignment behind a Deny on all their sessions; active users whose Identity Center
 * membership Okta no longer has get a Deny scoped to the (permission set, account) pairs they lost;
 * Denies of users who regained access are lifted; SCIM lag is reported (and repaired with membershipSync).
 */
export function planUsers(ctx: UserPlanContext): UserPlan {
  const { policy, okta, identityCenter: ic, now } = ctx;
  const actions: PlanAction[] = [];
  const findings: Finding[] = [];
  const sync = policy.ownership.membershipSync;

  // Okta users by the Identity Center name the app gives them (its username format).
  const oktaByLogin = new Map(okta.users.map((u) => [icNameOf(policy, u), u]));
  const oktaById = new Map(okta.users.map((u) => [u.id, u]));
  const icUserByName = new Map(ic.users.map((u) => [u.userName.toLowerCase(), u]));
  const icGroupName = new Map(ic.groups.map((g) => [g.groupId, g.displayName]));
  const oktaGroupByName = new Map(okta.groups.map((g) => [g.name, g]));
  const membershipsByUser = groupBy(ic.memberships, (m) => m.userId);
  const assignmentsByPrincipal = groupBy(ic.assignments, (a) => `${a.principalType}|${a.principalId}`);
  const afterByPrincipal = groupBy(ctx.assignmentsAfter, (a) => `${a.principalType}|${a.principalId}`);
  const deniesByUser = groupBy(ic.denies, (d) => d.userId);
  const permissionSetName = new Map(ic.permissionSets.map((p) => [p.arn, p.name]));

  // Only Denies still in force are passed here: expired ones are lifted by the expiry pass.
  const liftRegained = (deny: DenyEntry) =>
    actions.push({ kind: "deny.lift", deny, inlinePermissionSetArns: [], why: "access-regained" });
  const oktaReadAt = Date.parse(ctx.oktaReadAt ?? now);
  const recordedBeforeRead = (d: DenyEntry) => Date.parse(d.createdAt) <= oktaReadAt;

  // SCIM lag: Okta members of policy groups that Identity Center does not know yet. Planned first,
  // because memberships added here count as access kept when judging what a mover lost.
  const addedGroups = new Map<string, string[]>();
  const policyGroups = new Map<string, { icGroupId: string; name: string; memberIds: string[] }>();
  for (const r of ctx.rules) {
    if (r.oktaGroup?.memberIds && r.icGroupId !== undefined) {
      policyGroups.set(r.icGroupId, {
        icGroupId: r.icGroupId,
        name: r.oktaGroup.name,
        memberIds: r.oktaGroup.memberIds,
      });
    }
  }
  for (const { icGroupId, name, memberIds } of policyGroups.values()) {
    for (const memberId of memberIds) {
      const member = oktaById.get(memberId);
      // Okta provisions users to apps once they are activated: STAGED and PROVISIONED are not lagging.
      if (!member || isLeaver(member) || NOT_YET_ACTIVE.has(member.status)) continue;
      const icUser = icUserByName.get(icNameOf(policy, member));
      if (!icUser) {
        findings.push({
          kind: "scim-lag",
          message: `Okta user '${member.login}' (group '${name}') is not in Identity Center yet.`,
          subject: { oktaUserId: member.id, group: name },
        });
      } else if (!ic.memberships.some((m) => m.groupId === icGroupId && m.userId === icUser.userId)) {
        findings.push({
          kind: "scim-lag",
          message: `'${member.login}' is in Okta group '${name}' but not in its Identity Center group.`,
          subject: { userId: icUser.userId, groupId: icGroupId },
        });
        if (sync) {
          actions.push({
            kind: "membership.add",
            groupId: icGroupId,
            userId: icUser.userId,
            why: "member in Okta",
          });
          addedGroups.set(icUser.userId, [...(addedGroups.get(icUser.userId) ?? []), icGroupId]);
        }
      }
    }
  }
  for (const user of ic.users) {
    const oktaUser: OktaUser | undefined = oktaByLogin.get(user.userName.toLowerCase());
    const memberships = membershipsByUser.get(user.userId) ?? [];
    const direct = assignmentsByPrincipal.get(`USER|${user.userId}`) ?? [];
    const denies = (deniesByUser.get(user.userId) ?? []).filter((d) => denyInForce(d, now));
    const hasAccess = memberships.length > 0 || direct.length > 0;

    if (oktaUser === undefined) {
      if (hasAccess) {
        findings.push({
          kind: "orphaned-user",
          message: `Identity Center user '${user.userName}' is not in Okta but still has access; check SCIM.`,
          subject: { userId: user.userId, userName: user.userName },
        });
      }
      continue;
    }

    if (isLeaver(oktaUser)) {
      const why = `leaver: Okta status ${describeStatus(oktaUser)}`;
      if (hasAccess) {
        findings.push({
          kind: "orphaned-user",
          message: `'${user.userName}' is ${describeStatus(oktaUser)} in Okta but still has access in Identity Center.`,
          subject: { userId: user.userId, userName: user.userName },
        });
        if (!denies.some((d) => d.scope === "all" && d.issuedBefore === undefined)) {
          actions.push({
            kind: "deny.add",
            deny: {
              userId: user.userId,
              scope: "all",
              reason: "leaver",
              createdAt: now,
              expiresAt: ctx.denyExpiresAt,
            },
            inlinePermissionSetArns: [],
          });
        }
      }
      for (const m of memberships)
        actions.push({ kind: "membership.remove", groupId: m.groupId, userId: user.userId, why });
      for (const assignment of direct) actions.push({ kind: "assignment.delete", assignment, why });
      continue;
    }

    // Active in Okta: a leaver Deny left over from before a reactivation no longer applies.
    for (const d of denies) {
      if (d.reason === "leaver" && recordedBeforeRead(d)) liftRegained(d);
    }

    const stale: string[] = [];
    const kept: string[] = [];
    for (const m of memberships) {
      const oktaGroup = oktaGroupByName.get(icGroupName.get(m.groupId) ?? "");
      if (oktaGroup?.memberIds && !oktaGroup.memberIds.includes(oktaUser.id)) stale.push(m.groupId);
      else kept.push(m.groupId);
    }
    // Judge against the state after this plan: what the user keeps then, versus everything the
    // stale groups grant before or after it (so planning again finds nothing new to deny).
    const after = (principal: string) => afterByPrincipal.get(principal) ?? [];
    const keptGroups = [...kept, ...(addedGroups.get(user.userId) ?? [])];
    const keep = pairsOf([
      ...after(`USER|${user.userId}`),
      ...keptGroups.flatMap((g) => after(`GROUP|${g}`)),
    ]);
    const staleGrants = stale.flatMap((g) => [
      ...(assignmentsByPrincipal.get(`GROUP|${g}`) ?? []),
      ...after(`GROUP|${g}`),
    ]);
    const lost = [...pairsOf(staleGrants)].filter((p) => !keep.has(p));

    for (const groupId of stale) {
      findings.push({
        kind: "stale-membership",
        message: `'${user.userName}' is in Identity Center group '${icGroupName.get(groupId)}' but no longer in the Okta group.`,
        subject: { userId: user.userId, groupId },
      });
      if (sync)
        actions.push({
          kind: "membership.remove",
          groupId,
          userId: user.userId,
          why: "no longer in the Okta group",
        });
    }

    const namedPair = (pair: string) => {
      const [arn = "", accountId = ""] = pair.split("|");
      return { name: permissionSetName.get(arn) ?? arn, accountId };
    };
    // A mover Deny whose pairs the user holds again would block legitimate access: lift it.
    const keepByName = new Set([...keep].map(namedPair).map((p) => `${p.name}|${p.accountId}`));
    const regained = denies.filter(
      (d) => d.reason === "mover" && recordedBeforeRead(d) && scopedPairs(d).some((p) => keepByName.has(p)),
    );
    for (const d of regained) liftRegained(d);
    const denied = new Set(denies.filter((d) => !regained.includes(d)).flatMap(scopedPairs));
    const lostByPermissionSet = groupBy(lost.map(namedPair), (p) => p.name);
    for (const [name, pairs] of lostByPermissionSet) {
      const accountIds = pairs.map((p) => p.accountId).sort();
      if (!accountIds.every((a) => denied.has(`${name}|${a}`))) {
        actions.push({
          kind: "deny.add",
          deny: {
            userId: user.userId,
            scope: { permissionSetName: name, accountIds },
            reason: "mover",
            createdAt: now,
            expiresAt: ctx.denyExpiresAt,
          },
          inlinePermissionSetArns: [],
        });
      }
    }
  }

  return { actions, findings };
}
