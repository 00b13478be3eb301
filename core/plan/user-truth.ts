import type { Assignment, DenyEntry, OktaUser, OktaUserStatus } from "../estate.ts";
import type { IdentityResolution } from "../identity/identity-resolution.ts";

/** Okta's group types (management spec, `GroupType`): `APP_GROUP`s are imported from AD or LDAP. */
export type OktaGroupType = "OKTA_GROUP" | "APP_GROUP" | "BUILT_IN";

/** One of the user's Okta groups, as Okta lists it. */
export interface UserOktaGroup {
  id: string;
  name: string;
  /** Absent in runs recorded before the type was read. */
  type?: OktaGroupType;
}

/**
 * A group the policy's rules name, as the run found it in Okta. Named by id it is exactly that group;
 * named by name it is every Okta group of that name (an `APP_GROUP` may share an `OKTA_GROUP`'s name),
 * and more than one means the policy's reference is ambiguous.
 */
export interface PolicyOktaGroup {
  /** The group's name: the DisplayName SCIM gives its Identity Center group. */
  name: string;
  /** How the policy names it. */
  by: "id" | "name";
  /** The ids of the Okta groups the policy's reference matches. */
  oktaGroupIds: string[];
}

/** One Identity Center group membership of the user, with the id AWS needs to delete it. */
export interface UserMembership {
  membershipId: string;
  groupId: string;
  groupName: string | null;
}

/**
 * What a user run reads before planning: the user's Okta truth and their Identity Center state.
 * `okta.found` is false only when Okta answered 404 (the user was deleted), never on a failed read.
 */
export interface UserTruth {
  observedAt: string;
  okta: {
    /**
     * When Okta's answer was requested: a Deny recorded after it may rest on newer truth than this
     * read (a leaver run's), so it is never lifted on this read's word. @default observedAt
     */
    readAt?: string;
    found: boolean;
    status: OktaUserStatus | null;
    /** The status Okta is moving the user to (asynchronous deactivation). @default null */
    transitioningToStatus?: OktaUserStatus | null;
    login: string | null;
    groups: UserOktaGroup[];
    /**
     * false: the user's Okta groups were not read (`groups` is empty) because a leaver whom Identity
     * Center holds loses everything whatever their groups (read-user-truth.ts). @default true
     */
    groupsRead?: boolean;
    /**
     * A Deny-first read's Okta answer (`identityCenter.accessRead: false`), which the whole read after
     * the Deny reuses: one Okta call per leaver, whose share of Okta's rate limit a layoff's Denies
     * wait on. Absent otherwise (and when Okta answered 404).
     */
    answer?: OktaUser;
    /** The session-tag attributes' current values (policy.sessionTagAttributes). */
    sessionTags?: Record<string, string | null>;
    /**
     * The Okta profile attributes the policy's `abac` section feeds principal tags from, as Okta has
     * them (core/plan/judge-user-abac-attributes.ts). Absent: no `abac` section, or an older run.
     */
    abacAttributes?: Record<string, string | null>;
  };
  /** Session-tag values recorded by the previous run for this user; absent the first time. */
  previousSessionTags?: Record<string, string | null>;
  /**
   * Group assignments of every Identity Center group that matters to this user: the groups they are
   * in, the groups their Okta groups map to, and a group the triggering event says they left.
   */
  groupAssignments?: Record<string, Assignment[]>;
  /** Permission set names by ARN (Denies name the permission set's roles). */
  permissionSetNames?: Record<string, string>;
  /**
   * The policy's groups that share a name with one of the user's Okta groups or Identity Center
   * memberships, resolved in Okta: membership of a policy group is judged by these ids, never by the
   * name alone. Absent (older runs): the user's Okta groups count by name.
   */
  policyGroups?: PolicyOktaGroup[];
  /** Identity Center groups by display name (Okta group name, as SCIM pushes it). */
  icGroupsByName?: Record<string, string>;
  identityCenter: {
    instanceArn: string;
    identityStoreId: string;
    /** `null` when no Identity Center user could be tied to the Okta user (see `resolution`). */
    userId: string | null;
    userName: string | null;
    /** How the Identity Center user was found, or why not. @default resolved by login (older runs) */
    resolution?: IdentityResolution;
    memberships: UserMembership[];
    directAssignments: Assignment[];
    /** Assignments the user holds through their groups. */
    groupAssignments: Assignment[];
    /** Denies in force against the user (from the deny ledger). */
    denies: DenyEntry[];
    /**
     * false: a leaver's Deny-first read (read-user-truth.ts): the Identity Center user is the one the
     * pipeline recorded for this Okta user, and nothing else was read from Identity Center, so
     * `memberships`, `directAssignments` and `groupAssignments` are empty until the workflow reads
     * them again after the Deny. @default true
     */
    accessRead?: boolean;
    /**
     * The whole read after a Deny-first pass found another Identity Center user than the record
     * named: what the identity store says of the recorded one (its external id names this Okta user,
     * another one, nothing readable; or it is gone). Absent otherwise.
     */
    recordedUser?: { userId: string; verdict: "matches" | "other-user" | "unknown" | "deleted" };
  };
}
