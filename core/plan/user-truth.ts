import type { Assignment, DenyEntry, OktaUserStatus } from "../estate.ts";
import type { IdentityResolution } from "../identity/identity-resolution.ts";

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
    groups: { id: string; name: string }[];
    /** The session-tag attributes' current values (policy.sessionTagAttributes). */
    sessionTags?: Record<string, string | null>;
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
  };
}
