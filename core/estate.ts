/**
 * The read model of the world the planner reasons about: Okta truth, the AWS Organization and
 * Identity Center state. Adapters fill these; core never fetches them.
 */

/** Okta user statuses (Okta Users API). Only ACTIVE (and the pre-activation states) keep access. */
export type OktaUserStatus =
  | "STAGED"
  | "PROVISIONED"
  | "ACTIVE"
  | "RECOVERY"
  | "PASSWORD_EXPIRED"
  | "LOCKED_OUT"
  | "SUSPENDED"
  | "DEPROVISIONED";

export interface OktaUser {
  id: string;
  login: string;
  status: OktaUserStatus;
  /**
   * Set while Okta completes a status change asynchronously: a user being deactivated reads
   * `status: ACTIVE, transitioningToStatus: DEPROVISIONED` until it is done (Users API, User object).
   */
  transitioningToStatus?: OktaUserStatus | null;
  /** Profile attributes that matter to the policy (session-tag attributes). */
  profile?: Record<string, string | null>;
}

export interface OktaGroup {
  id: string;
  name: string;
  /** Member user ids, or `null` when the read failed (never treated as "no members"). */
  memberIds: string[] | null;
}

export interface OktaTruth {
  users: OktaUser[];
  groups: OktaGroup[];
}

export interface OrgAccount {
  id: string;
  name: string;
  /** The OU or root directly above the account. */
  parentId: string;
  tags: Record<string, string>;
  status: "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE";
}

export interface OrgUnit {
  id: string;
  name: string;
  /** `null` for the root. */
  parentId: string | null;
}

export interface Organization {
  rootId: string;
  units: OrgUnit[];
  accounts: OrgAccount[];
}

export type PrincipalType = "GROUP" | "USER";

export interface Assignment {
  accountId: string;
  permissionSetArn: string;
  principalType: PrincipalType;
  principalId: string;
}

export interface IcPermissionSet {
  arn: string;
  name: string;
  sessionDuration: string;
}

export interface IcUser {
  userId: string;
  userName: string;
}

export interface IcGroup {
  groupId: string;
  displayName: string;
}

export interface IcMembership {
  groupId: string;
  userId: string;
}

/** A permission set provisioned to an account; `outdated` when its latest version is not provisioned. */
export interface ProvisionedPair {
  accountId: string;
  permissionSetArn: string;
  outdated: boolean;
}

/** A Deny in force against one Identity Center user. */
export interface DenyEntry {
  userId: string;
  /** `all`: every session of the user; otherwise only the roles of these (permission set, account) pairs. */
  scope: "all" | { permissionSetName: string; accountIds: string[] };
  /** When set, only sessions issued before this instant are denied (ABAC attribute change, compromise signal). */
  issuedBefore?: string;
  /** `compromise`: a compromise signal (core/plan/plan-compromise.ts) ended the sessions issued before it. */
  /** `federated-sessions`: a leaver's federated role sessions (`federated` below), not an Identity Center user. */
  reason: "leaver" | "mover" | "attribute-change" | "compromise" | "federated-sessions";
  createdAt: string;
  expiresAt: string;
  /**
   * A leaver's federated role sessions (issue 16) rather than an Identity Center user: `userId` is then
   * `okta:<Okta user id>`, `scope` is `all`, and the Deny matches `aws:userid` like `*:<sessionName>`
   * and/or `aws:SourceIdentity` = `sourceIdentity` (core/revocation/federated-denies.ts). Rendered only
   * into the revocation SCPs. `roleArns`: the Okta-trusting roles of the Organization's member accounts
   * when it was recorded, whose sessions the federated mass fallback denies when the Deny fits in no SCP
   * (core/revocation/federated-mass-fallback.ts; absent in entries recorded before it: no fallback covers
   * them). @default absent
   */
  federated?: { sessionName?: string; sourceIdentity?: string; roleArns?: string[] };
}

export interface IdentityCenterState {
  instanceArn: string;
  identityStoreId: string;
  permissionSets: IcPermissionSet[];
  users: IcUser[];
  groups: IcGroup[];
  memberships: IcMembership[];
  provisioned: ProvisionedPair[];
  assignments: Assignment[];
  denies: DenyEntry[];
  /**
   * Users without a `UserName` and groups without a `DisplayName` (both optional in the identitystore
   * model): left out of `users` / `groups` (nothing can match them to Okta) and reported. @default none
   */
  unnamed?: { userIds: string[]; groupIds: string[] };
  /**
   * What the run confirmed about the principals of assignments the identity store read did not return
   * (core/plan/orphaned-assignments.ts): `missing`, those DescribeUser/DescribeGroup answered
   * ResourceNotFoundException for; only these are orphaned. Absent: nothing confirmed, no orphan.
   */
  principalCheck?: PrincipalCheck;
}

/** The outcome of confirming assignment principals the identity store read did not return. */
export interface PrincipalCheck {
  /** Principal ids the identity store answered ResourceNotFoundException for. */
  missing: string[];
  /** Principal ids it still holds (the read came back short): never orphaned. */
  present: string[];
  /** Principal ids left unchecked because the run's call budget ran out: judged next run. */
  unchecked: string[];
  /** The read returned no user and no group although assignments exist: no orphan is deleted. */
  storeReadEmpty: boolean;
}
