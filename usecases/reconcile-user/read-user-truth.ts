import type { DenyLedger } from "../../adapters/deny-ledger.ts";
import type { IdentityLink, IdentityLinks } from "../../adapters/identity-links.ts";
import type { SessionTagStore } from "../../adapters/session-tag-store.ts";
import type { Assignment, IcGroup, IcPermissionSet, OktaUser } from "../../core/estate.ts";
import { externalIdVerdict, type IdentityResolution } from "../../core/identity/identity-resolution.ts";
import { lostLeaverResolution } from "../../core/identity/lost-leaver.ts";
import type { UserNameMapping } from "../../core/identity/user-name-format.ts";
import { denyInForce } from "../../core/plan/deny-key.ts";
import { isLeaver } from "../../core/plan/plan-users.ts";
import type { PolicyOktaGroup, UserOktaGroup, UserTruth } from "../../core/plan/user-truth.ts";
import type { Policy } from "../../core/policy/schema.ts";
import type { IdentityCenterUserPort, OktaUserPort } from "../../core/ports.ts";
import { LeaverBurstReads } from "./leaver-burst-reads.ts";
import { resolveIdentityCenterUser } from "./resolve-identity-center-user.ts";
import type { UserRunState } from "./run-state.ts";

export interface ReadUserTruthDeps {
  /**
   * The policy's rules: the groups they name are resolved in Okta by id (policyOktaGroups); its `abac`
   * section names the Okta profile attributes the plan checks (judge-user-abac-attributes.ts).
   */
  policy: Pick<Policy, "rules"> & Partial<Pick<Policy, "abac">>;
  /** Okta profile attributes that flow into session tags (policy.sessionTagAttributes). */
  sessionTagAttributes: readonly string[];
  sessionTags: SessionTagStore;
  okta: OktaUserPort;
  identityCenter: IdentityCenterUserPort;
  ledger: DenyLedger;
  /** The pipeline's record of Okta user id -> Identity Center user (finds deleted users). */
  links: IdentityLinks;
  /** policy `okta.identityCenterApp.externalIdIssuer`: unset, external ids are not looked up. */
  externalIdIssuer: string | undefined;
  /** policy `okta.identityCenterApp.userNameFormat` / `userNameTemplate` */
  userNames: UserNameMapping;
  instanceArn: string;
  identityStoreId: string;
  now: () => string;
  /** How long a read serves the leaver runs of a burst (leaver-burst-reads.ts). @default 60 s */
  leaverBurstReadTtlMs?: number;
}

/**
 * Task ReadTruth: the event only says which user to look at; read what Okta and Identity Center say
 * now (design.md principle 1). A failed read throws (the task is retried); only Okta's 404 means gone,
 * and the event's login never chooses the Identity Center user (resolve-identity-center-user.ts).
 */
export function readUserTruth(deps: ReadUserTruthDeps) {
  // One per process: every leaver run of a burst shares a group's listing and the catalogues.
  const nowMs = () => Date.parse(deps.now());
  const groupAssignments = new LeaverBurstReads<Assignment[]>(nowMs, deps.leaverBurstReadTtlMs);
  const catalogue = {
    groups: new LeaverBurstReads<IcGroup[]>(nowMs, deps.leaverBurstReadTtlMs),
    permissionSets: new LeaverBurstReads<IcPermissionSet[]>(nowMs, deps.leaverBurstReadTtlMs),
  };
  return async (state: UserRunState): Promise<UserTruth> => {
    // After a Deny-first read, Okta's answer of seconds ago stands: a reactivation since is its own event.
    const earlier = state.truth?.identityCenter.accessRead === false ? state.truth.okta : undefined;
    const oktaReadAt = earlier?.readAt ?? deps.now();
    const answered = earlier ? (earlier.answer ?? null) : await deps.okta.getUser(state.user.id);
    // Okta's GET /users/{id} also accepts a login: an answer for another id is not this user's.
    const oktaUser = answered !== null && answered.id === state.user.id ? answered : null;
    const leaver = oktaUser === null || isLeaver(oktaUser);
    // A leaver the pipeline holds a record of is denied before Identity Center is read at all: the
    // Deny needs only the user id, and in a layoff each identity-store read ahead of it queues behind
    // the store's 50 TPS. The workflow reads the whole truth after the Deny (state.truth is then set).
    if (leaver && state.truth === undefined) {
      const link = await deps.links.get(state.user.id);
      if (link !== null) return denyFirstTruth(deps, oktaUser, link, oktaReadAt);
    }
    // Whom to act on comes from Okta's answer or the pipeline's records, never from the event.
    const deniedFirstAs = state.plan?.deniedFirstAs;
    const resolve = () =>
      resolveIdentityCenterUser(deps, state.user.id, oktaUser, deniedFirstAs ? { deniedFirstAs } : {});
    const readGroups = () => (oktaUser ? deps.okta.listUserGroups(oktaUser.id) : Promise.resolve([]));
    // A leaver loses everything whatever their groups, so their Okta groups are read only to judge a
    // user Identity Center no longer holds (lost-leaver.ts): the Deny of a layoff waits on one call of
    // the token's share of Okta's /users/{id} limit per leaver, not two.
    let [resolution, groups] = leaver ? [await resolve(), []] : await Promise.all([resolve(), readGroups()]);
    const groupsRead = !leaver || resolution.outcome === "absent";
    if (leaver && groupsRead) groups = await readGroups();
    const login = oktaUser?.login ?? null;
    if (oktaUser === null && resolution.outcome !== "resolved")
      return unresolvedTruth(deps, resolution, oktaReadAt);
    const userId = resolution.outcome === "resolved" ? resolution.userId : null;
    let memberships: UserTruth["identityCenter"]["memberships"] = [];
    let directAssignments: Assignment[] = [];
    const listGroups = () => deps.identityCenter.listGroups();
    const listPermissionSets = () => deps.identityCenter.listPermissionSets();
    const [icGroups, permissionSets, previousSessionTags] = await Promise.all([
      leaver ? catalogue.groups.get("groups", listGroups) : listGroups(),
      leaver ? catalogue.permissionSets.get("permission-sets", listPermissionSets) : listPermissionSets(),
      deps.sessionTags.get(state.user.id),
    ]);
    const icGroupsByName = Object.fromEntries(icGroups.map((g) => [g.displayName, g.groupId]));
    // A deactivated member of a pushed group whom nothing names any more is a loss to alarm on.
    const judged = oktaUser
      ? lostLeaverResolution(
          resolution,
          oktaUser,
          groups.map((g) => g.name),
          new Set(icGroups.map((g) => g.displayName)),
        )
      : resolution;
    const names = new Map(icGroups.map((g) => [g.groupId, g.displayName]));
    if (userId !== null) {
      const [raw, direct] = await Promise.all([
        deps.identityCenter.listUserGroupMemberships(userId),
        deps.identityCenter.listAssignmentsForPrincipal(userId, "USER"),
      ]);
      memberships = raw.map((m) => ({ ...m, groupName: names.get(m.groupId) ?? null }));
      directAssignments = direct;
    }
    // Every group that matters: the user's, the ones their Okta groups map to, one the event says they left.
    const event = state.trigger.event;
    const left = event.subject === "user" && event.group?.name ? [event.group.name] : [];
    const relevant = new Set([
      ...memberships.map((m) => m.groupId),
      ...[...groups.map((g) => g.name), ...left].flatMap((n) =>
        icGroupsByName[n] ? [icGroupsByName[n]] : [],
      ),
    ]);
    const listedGroupAssignments = Object.fromEntries(
      await Promise.all(
        [...relevant].map(
          async (g) =>
            [
              g,
              leaver
                ? await groupAssignments.get(g, () =>
                    deps.identityCenter.listAssignmentsForPrincipal(g, "GROUP"),
                  )
                : await deps.identityCenter.listAssignmentsForPrincipal(g, "GROUP"),
            ] as const,
        ),
      ),
    );
    // A leaver loses everything: their groups are not judged, and no Okta read delays the Deny.
    const policyGroups =
      oktaUser === null || leaver
        ? []
        : await policyOktaGroups(deps, groups, [
            ...groups.map((g) => g.name),
            ...memberships.flatMap((m) => (m.groupName === null ? [] : [m.groupName])),
            ...left,
          ]);
    const recordedUser = await recordedUserVerdict(deps, state, userId);
    const memberOf = new Set(memberships.map((m) => m.groupId));
    const now = deps.now();
    const denies = userId === null ? [] : await deniesInForce(deps, userId, now);
    return {
      observedAt: now,
      okta: {
        ...oktaAnswer(oktaUser, oktaReadAt),
        groups: groups.map(userOktaGroup),
        ...(groupsRead ? {} : { groupsRead: false }),
        sessionTags: Object.fromEntries(
          deps.sessionTagAttributes.map((k) => [k, oktaUser?.profile?.[k] ?? null]),
        ),
        ...(deps.policy.abac
          ? {
              abacAttributes: Object.fromEntries(
                deps.policy.abac.attributes.map((a) => [
                  a.oktaAttribute,
                  oktaUser?.profile?.[a.oktaAttribute] ?? null,
                ]),
              ),
            }
          : {}),
      },
      identityCenter: {
        instanceArn: deps.instanceArn,
        identityStoreId: deps.identityStoreId,
        userId,
        userName: userId === null ? null : login,
        resolution: judged,
        memberships,
        directAssignments,
        groupAssignments: Object.entries(listedGroupAssignments).flatMap(([g, list]) =>
          memberOf.has(g) ? list : [],
        ),
        denies,
        ...(recordedUser ? { recordedUser } : {}),
      },
      groupAssignments: listedGroupAssignments,
      policyGroups,
      icGroupsByName,
      permissionSetNames: Object.fromEntries(permissionSets.map((p) => [p.arn, p.name])),
      ...(previousSessionTags ? { previousSessionTags } : {}),
    };
  };
}

/** What Okta answered about the user (`null`: 404), as the truth records it. */
const oktaAnswer = (oktaUser: OktaUser | null, readAt: string) => ({
  readAt,
  found: oktaUser !== null,
  status: oktaUser?.status ?? null,
  transitioningToStatus: oktaUser?.transitioningToStatus ?? null,
  login: oktaUser?.login ?? null,
});

/** The ledger's Denies against `userId` that still hold at `now`. */
async function deniesInForce(deps: ReadUserTruthDeps, userId: string, now: string) {
  return (await deps.ledger.list())
    .map((l) => l.deny)
    .filter((d) => d.userId === userId && denyInForce(d, now));
}

/**
 * A leaver's truth for the Deny alone: Okta's answer (a leaver, or 404), the Identity Center user the
 * pipeline recorded for this Okta user id when Okta's answer backed it (adapters/identity-links.ts),
 * and the Denies in force against them; no access (`accessRead: false`). The event names no one here:
 * the record is keyed by the id Okta answered for. The full read after the Deny resolves the user again
 * and confirms the record (core/plan/merge-deny-first-plan.ts).
 */
async function denyFirstTruth(
  deps: ReadUserTruthDeps,
  oktaUser: OktaUser | null,
  link: IdentityLink,
  oktaReadAt: string,
): Promise<UserTruth> {
  const userId = link.identityCenterUserId;
  const now = deps.now();
  const denies = await deniesInForce(deps, userId, now);
  return {
    observedAt: now,
    okta: {
      ...oktaAnswer(oktaUser, oktaReadAt),
      groups: [],
      groupsRead: false,
      sessionTags: {},
      ...(oktaUser ? { answer: oktaUser } : {}),
    },
    identityCenter: {
      instanceArn: deps.instanceArn,
      identityStoreId: deps.identityStoreId,
      userId,
      userName: oktaUser?.login ?? null,
      resolution: {
        outcome: "resolved",
        userId,
        via: "link",
        detail: `Identity Center user ${userId}: the pipeline recorded it for this Okta user (${link.oktaLogin}, ${link.linkedAt}); denied first, then confirmed by the full read`,
      },
      memberships: [],
      directAssignments: [],
      groupAssignments: [],
      denies,
      accessRead: false,
    },
  };
}

/**
 * After a Deny-first pass whose record named another Identity Center user than the whole read found:
 * whether that user is someone else's (its external id names another Okta user), so that its Deny is
 * lifted (core/plan/merge-deny-first-plan.ts). One identity-store read, only then.
 */
async function recordedUserVerdict(
  deps: ReadUserTruthDeps,
  state: UserRunState,
  found: string | null,
): Promise<UserTruth["identityCenter"]["recordedUser"]> {
  const recorded = state.plan?.deniedFirstAs;
  if (recorded === undefined || recorded === found) return undefined;
  const identity = await deps.identityCenter.describeUser(recorded);
  return {
    userId: recorded,
    verdict:
      identity === null ? "deleted" : externalIdVerdict(identity, state.user.id, deps.externalIdIssuer),
  };
}

/**
 * The truth of an id Okta does not know and no trustworthy record ties to an Identity Center user:
 * nothing more is read (a flood of unknown ids must stay cheap), and the plan acts on nobody.
 */
function unresolvedTruth(
  deps: ReadUserTruthDeps,
  resolution: IdentityResolution,
  oktaReadAt: string,
): UserTruth {
  return {
    observedAt: deps.now(),
    okta: { readAt: oktaReadAt, found: false, status: null, login: null, groups: [], sessionTags: {} },
    identityCenter: {
      instanceArn: deps.instanceArn,
      identityStoreId: deps.identityStoreId,
      userId: null,
      userName: null,
      resolution,
      memberships: [],
      directAssignments: [],
      groupAssignments: [],
      denies: [],
    },
  };
}

const userOktaGroup = (g: UserOktaGroup): UserOktaGroup => ({
  id: g.id,
  name: g.name,
  ...(g.type === undefined ? {} : { type: g.type }),
});

/**
 * The policy's groups as Okta has them, for the names that matter to this user (their Okta groups,
 * their Identity Center memberships, a group the event says they left): each group the policy names by
 * id (its name from the user's own groups, else `filter=id eq`), and each name the policy uses, with
 * every Okta group of that name (`search=profile.name eq`): Okta lets an `APP_GROUP` imported from AD
 * or LDAP share an `OKTA_GROUP`'s name (management spec, `GroupType`), so the user's membership is
 * judged by id (core/plan/judge-okta-membership.ts). One Okta call per policy group, at most.
 */
async function policyOktaGroups(
  deps: ReadUserTruthDeps,
  userGroups: readonly UserOktaGroup[],
  names: readonly string[],
): Promise<PolicyOktaGroup[]> {
  const relevant = new Set(names);
  const refs = deps.policy.rules.map((r) => r.group);
  const ids = [...new Set(refs.flatMap((g) => (typeof g !== "string" && "id" in g ? [g.id] : [])))].sort();
  const named = [
    ...new Set(refs.flatMap((g) => (typeof g === "string" ? [g] : "name" in g ? [g.name] : []))),
  ].sort();
  const byId = await Promise.all(
    ids.map(async (id) => userGroups.find((g) => g.id === id) ?? (await deps.okta.findGroupById(id))),
  );
  const byName = await Promise.all(
    named
      .filter((name) => relevant.has(name))
      .map(async (name) => ({ name, groups: await deps.okta.findGroupsByName(name) })),
  );
  // A name Okta no longer has (renamed, deleted since) binds nothing.
  return [
    ...byId.flatMap((g) =>
      g === null || g === undefined || !relevant.has(g.name)
        ? []
        : [{ name: g.name, by: "id" as const, oktaGroupIds: [g.id] }],
    ),
    ...byName
      .filter(({ groups }) => groups.length > 0)
      .map(({ name, groups }) => ({
        name,
        by: "name" as const,
        oktaGroupIds: groups.map((g) => g.id).sort(),
      })),
  ];
}
