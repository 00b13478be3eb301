import { addMs } from "../duration.ts";
import type { Assignment, DenyEntry } from "../estate.ts";
import { denyInForce, scopedPairs } from "./deny-key.ts";
import { judgeOktaMembership } from "./judge-okta-membership.ts";
import { ownAssignments } from "./own-assignments.ts";
import type { Finding, PlanAction } from "./plan.ts";
import type { UserTruth } from "./user-truth.ts";

export interface UserChangeOptions {
  now: string;
  holdMs: number;
  /** The policy owns group membership (no SCIM): add missing and remove stale memberships. */
  membershipSync: boolean;
  /** Okta profile attributes that flow into session tags (policy.sessionTagAttributes). */
  sessionTagAttributes: readonly string[];
  /** Groups the triggering event says the user left (a hint; the truth decides). */
  leftGroupNames: readonly string[];
  /** Permission set names by ARN (the role names the Deny scopes to). */
  permissionSetNames: Readonly<Record<string, string>>;
  /** When the triggering change happened (Okta's published time): older sessions carry old tags. */
  changedAt: string;
}

export interface UserChangePlan {
  actions: PlanAction[];
  findings: Finding[];
  /** Session-tag values to remember for the next run. */
  sessionTags: Record<string, string | null>;
}

const pair = (a: Assignment) => `${a.permissionSetArn}|${a.accountId}`;

/**
 * Plans a joiner / mover run for a user Okta says is active: memberships Identity Center lacks or
 * keeps past Okta (SCIM lag; repaired only when the policy owns membership sync), a Deny scoped to
 * the (permission set, account) pairs the user lost and holds through no other group, a Deny on
 * sessions issued before a change of a session-tag attribute, and lifting Denies the user no longer
 * needs (access regained, or reactivated). Access the user still has through another group is kept.
 * Okta membership of a group the policy names is judged by the policy group's id (an `APP_GROUP` of the
 * same name grants nothing; a policy name two Okta groups share counts for neither): judge-okta-membership.ts.
 */
export function planUserChange(truth: UserTruth, o: UserChangeOptions): UserChangePlan {
  const ic = truth.identityCenter;
  const actions: PlanAction[] = [];
  const findings: Finding[] = [];
  const groupIds = truth.icGroupsByName ?? {};
  const assignmentsOf = (groupId: string) => truth.groupAssignments?.[groupId] ?? [];
  const sessionTags = Object.fromEntries(
    o.sessionTagAttributes.map((k) => [k, truth.okta.sessionTags?.[k] ?? null]),
  );

  if (ic.userId === null) {
    findings.push({
      kind: "scim-lag",
      message: `'${truth.okta.login}' is active in Okta but not in Identity Center yet: SCIM has not provisioned them.`,
      subject: { oktaLogin: String(truth.okta.login) },
    });
    return { actions, findings, sessionTags };
  }
  const userId = ic.userId;
  // Okta membership by the policy's group ids, never by a name an APP_GROUP may share.
  const judged = judgeOktaMembership(truth.okta.login, truth.okta.groups, truth.policyGroups ?? []);
  findings.push(...judged.findings);
  const oktaGroupNames = judged.memberOf;
  const memberOf = new Set(ic.memberships.map((m) => m.groupId));

  // Memberships Okta has that Identity Center lacks (only groups SCIM pushes exist there).
  const missing = [...oktaGroupNames].flatMap((name) =>
    groupIds[name] && !memberOf.has(groupIds[name]) ? [groupIds[name]] : [],
  );
  for (const groupId of missing) {
    findings.push({
      kind: "scim-lag",
      message: `'${truth.okta.login}' is in Okta group ${groupId} but not in its Identity Center group.`,
      subject: { userId, groupId },
    });
    if (o.membershipSync) actions.push({ kind: "membership.add", groupId, userId, why: "member in Okta" });
  }
  // Memberships Identity Center keeps that Okta no longer has.
  const stale = ic.memberships.filter((m) => m.groupName !== null && !oktaGroupNames.has(m.groupName));
  for (const m of stale) {
    findings.push({
      kind: "stale-membership",
      message: `'${truth.okta.login}' is still in Identity Center group '${m.groupName}' but not in the Okta group.`,
      subject: { userId, groupId: m.groupId },
    });
    // Which group an ambiguous name means is unknown: its access is lost (Denied), the membership left.
    if (o.membershipSync && !judged.ambiguous.has(String(m.groupName)))
      actions.push({
        kind: "membership.remove",
        groupId: m.groupId,
        userId,
        why: "no longer in the Okta group",
      });
  }

  // What the user keeps: direct assignments and every group Okta says they are in.
  const keptGroups = new Set([
    ...ic.memberships.filter((m) => !stale.includes(m)).map((m) => m.groupId),
    ...missing,
  ]);
  const own = ownAssignments(ic.directAssignments, "USER", ic.userId);
  const keep = new Set([...own, ...[...keptGroups].flatMap(assignmentsOf)].map(pair));
  // What they lost: stale memberships and groups the event says they left (SCIM may be faster than us).
  const lostGroups = new Set([
    ...stale.map((m) => m.groupId),
    ...o.leftGroupNames.flatMap((n) => (groupIds[n] && !keptGroups.has(groupIds[n]) ? [groupIds[n]] : [])),
  ]);
  const lost = [...new Set([...lostGroups].flatMap(assignmentsOf).map(pair))].filter((p) => !keep.has(p));

  const inForce = ic.denies.filter((d) => denyInForce(d, o.now));
  const keepNamed = new Set(
    [...keep].map((p) => {
      const [arn = "", account = ""] = p.split("|");
      return `${o.permissionSetNames[arn] ?? arn}|${account}`;
    }),
  );
  const lifted = new Set<DenyEntry>();
  const lift = (deny: DenyEntry) => {
    lifted.add(deny);
    actions.push({ kind: "deny.lift", deny, inlinePermissionSetArns: [], why: "access-regained" });
  };
  // Only Denies recorded before Okta was read: a later one (a leaver run that saw the user suspended
  // while this run was still reading Identity Center) rests on newer truth than this read.
  const oktaReadAt = Date.parse(truth.okta.readAt ?? truth.observedAt);
  for (const d of inForce.filter((d) => Date.parse(d.createdAt) <= oktaReadAt)) {
    if (d.reason === "leaver")
      lift(d); // active again in Okta
    else if (d.reason === "mover" && scopedPairs(d).some((p) => keepNamed.has(p))) lift(d);
  }
  const denied = new Set(inForce.filter((d) => !lifted.has(d)).flatMap(scopedPairs));
  const byName = new Map<string, string[]>();
  for (const p of lost) {
    const [arn = "", account = ""] = p.split("|");
    const name = o.permissionSetNames[arn] ?? arn;
    if (!denied.has(`${name}|${account}`)) byName.set(name, [...(byName.get(name) ?? []), account]);
  }
  const expiresAt = addMs(o.now, o.holdMs);
  for (const [permissionSetName, accountIds] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    actions.push({
      kind: "deny.add",
      deny: {
        userId,
        scope: { permissionSetName, accountIds: accountIds.sort() },
        reason: "mover",
        createdAt: o.now,
        expiresAt,
      },
      inlinePermissionSetArns: [],
    });
  }

  // A session-tag attribute changed: sessions issued before the change still carry the old tags.
  const previous = truth.previousSessionTags;
  const changed =
    previous === undefined
      ? []
      : o.sessionTagAttributes.filter((k) => (previous[k] ?? null) !== sessionTags[k]);
  if (
    changed.length > 0 &&
    !inForce.some((d) => d.reason === "attribute-change" && d.issuedBefore === o.changedAt)
  ) {
    findings.push({
      kind: "session-tags-changed",
      message: `${changed.join(", ")} changed: sessions issued before ${o.changedAt} are denied.`,
      subject: { userId, attributes: changed.join(",") },
    });
    actions.push({
      kind: "deny.add",
      deny: {
        userId,
        scope: "all",
        issuedBefore: o.changedAt,
        reason: "attribute-change",
        createdAt: o.now,
        expiresAt,
      },
      inlinePermissionSetArns: [],
    });
  }
  return { actions, findings, sessionTags };
}
