import type { Assignment, DenyEntry, OktaUserStatus } from "../estate.ts";

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
    found: boolean;
    status: OktaUserStatus | null;
    login: string | null;
    groups: { id: string; name: string }[];
  };
  identityCenter: {
    instanceArn: string;
    identityStoreId: string;
    /** `null` when Identity Center has no user with the Okta login as userName. */
    userId: string | null;
    userName: string | null;
    memberships: UserMembership[];
    directAssignments: Assignment[];
    /** Assignments the user holds through their groups. */
    groupAssignments: Assignment[];
    /** Denies in force against the user (from the deny ledger). */
    denies: DenyEntry[];
  };
}
