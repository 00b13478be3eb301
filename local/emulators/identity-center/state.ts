/**
 * The emulator's world: one Identity Center instance with its permission sets, account
 * assignments, provisioned (account, permission set) pairs, asynchronous operations, and the
 * identity store's users, groups and memberships. Operations read and change it; nothing outside
 * the emulator holds a reference to the records (the snapshot copies them).
 */

export type PrincipalType = "USER" | "GROUP";
export type OperationStatus = "IN_PROGRESS" | "SUCCEEDED" | "FAILED";
export type OperationKind = "CreateAccountAssignment" | "DeleteAccountAssignment" | "ProvisionPermissionSet";

/** One attribute for access control: a session tag key and the identity store attribute it is read from. */
export interface AccessControlAttributeRecord {
  Key: string;
  /** Exactly one source, e.g. `${path:enterprise.costCenter}` (AccessControlAttributeValueSourceList). */
  Source: string[];
}

export interface ManagedPolicyRecord {
  Name: string;
  Arn: string;
}

/** sso-admin CustomerManagedPolicyReference: a policy name and path (`/` when not given). */
export interface CustomerManagedPolicyRecord {
  Name: string;
  Path: string;
}

export interface PermissionSetRecord {
  arn: string;
  name: string;
  description?: string;
  /** ISO-8601, e.g. `PT1H`. */
  sessionDuration: string;
  relayState?: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  inlinePolicy: string | null;
  managedPolicies: ManagedPolicyRecord[];
  /** CustomerManagedPolicyReference items (permission-set-content-operations.ts). @default none */
  customerManagedPolicies?: CustomerManagedPolicyRecord[];
  /** The model's PermissionsBoundary: one of its two members. @default none */
  permissionsBoundary?:
    | { ManagedPolicyArn: string }
    | { CustomerManagedPolicyReference: CustomerManagedPolicyRecord };
  /** The model's TagList (keys unique). @default none */
  tags?: { Key: string; Value: string }[];
  /** Bumped by every change that only reaches accounts through ProvisionPermissionSet. */
  version: number;
}

export interface AssignmentRecord {
  accountId: string;
  permissionSetArn: string;
  principalType: PrincipalType;
  principalId: string;
}

/** A permission set provisioned to an account, at the version that was provisioned. */
export interface ProvisionedRecord {
  accountId: string;
  permissionSetArn: string;
  version: number;
}

export interface OperationRecord {
  requestId: string;
  kind: OperationKind;
  /** The accounts whose permission-set roles this operation updates. */
  accountIds: string[];
  /** The single target account (absent for provisioning to ALL_PROVISIONED_ACCOUNTS). */
  targetId?: string;
  permissionSetArn: string;
  principalType?: PrincipalType;
  principalId?: string;
  createdAt: number;
  completesAt: number;
  status: OperationStatus;
  /** Decided when the operation starts (fault injection), reported once it completes. */
  willFail: string | null;
  failureReason?: string;
}

/** identitystore `UserStatus` (model enum); SCIM sets it, the identitystore API cannot. */
export type UserStatus = "ENABLED" | "DISABLED";

export interface UserRecord {
  userId: string;
  /** Optional in the identitystore model (`User.UserName`): a SCIM source may leave it out. */
  userName?: string;
  /** Absent until a SCIM source sets it (the model makes it optional). */
  userStatus?: UserStatus;
  displayName?: string;
  name?: Record<string, string>;
  emails?: { Value?: string; Type?: string; Primary?: boolean }[];
  externalIds?: { Issuer: string; Id: string }[];
  createdAt: number;
}

export interface GroupRecord {
  groupId: string;
  /** Optional in the identitystore model (`Group.DisplayName`); the pipeline skips unnamed groups. */
  displayName?: string;
  description?: string;
  createdAt: number;
}

export interface MembershipRecord {
  membershipId: string;
  groupId: string;
  userId: string;
  createdAt: number;
}

/** Which service an operation belongs to, for call counts. */
export type ServiceName = "ssoAdmin" | "identityStore";

export const assignmentKey = (a: AssignmentRecord): string =>
  `${a.accountId}|${a.permissionSetArn}|${a.principalType}|${a.principalId}`;

export const pairKey = (accountId: string, permissionSetArn: string): string =>
  `${accountId}|${permissionSetArn}`;

export class EmulatorState {
  readonly instanceArn: string;
  readonly identityStoreId: string;
  readonly ownerAccountId: string;
  readonly createdAt: number;

  /** Insertion-ordered: list calls answer in creation order. */
  readonly permissionSets = new Map<string, PermissionSetRecord>();
  readonly assignments = new Map<string, AssignmentRecord>();
  readonly provisioned = new Map<string, ProvisionedRecord>();
  readonly operations = new Map<string, OperationRecord>();
  readonly users = new Map<string, UserRecord>();
  readonly groups = new Map<string, GroupRecord>();
  readonly memberships = new Map<string, MembershipRecord>();
  /** The instance's attributes for access control; `undefined` while ABAC is not enabled. */
  accessControlAttributes: AccessControlAttributeRecord[] | undefined = undefined;

  /** Calls received per service and operation (throttled and failed calls included). */
  readonly calls: Record<ServiceName, Map<string, number>> = {
    ssoAdmin: new Map(),
    identityStore: new Map(),
  };
  /** Calls answered with ThrottlingException, per service and operation. */
  readonly throttled: Record<ServiceName, Map<string, number>> = {
    ssoAdmin: new Map(),
    identityStore: new Map(),
  };

  constructor(instanceArn: string, identityStoreId: string, ownerAccountId: string, createdAt: number) {
    this.instanceArn = instanceArn;
    this.identityStoreId = identityStoreId;
    this.ownerAccountId = ownerAccountId;
    this.createdAt = createdAt;
  }

  isOutdated(pair: ProvisionedRecord): boolean {
    const permissionSet = this.permissionSets.get(pair.permissionSetArn);
    return permissionSet !== undefined && pair.version < permissionSet.version;
  }

  /** Records the latest version of a permission set as provisioned to an account. */
  markProvisioned(accountId: string, permissionSetArn: string): void {
    const permissionSet = this.permissionSets.get(permissionSetArn);
    if (!permissionSet) return;
    this.provisioned.set(pairKey(accountId, permissionSetArn), {
      accountId,
      permissionSetArn,
      version: permissionSet.version,
    });
  }

  /** Whether any assignment still uses the (account, permission set) pair. */
  pairInUse(accountId: string, permissionSetArn: string): boolean {
    for (const a of this.assignments.values()) {
      if (a.accountId === accountId && a.permissionSetArn === permissionSetArn) return true;
    }
    return false;
  }

  principalExists(principalType: PrincipalType, principalId: string): boolean {
    return principalType === "USER" ? this.users.has(principalId) : this.groups.has(principalId);
  }

  findUserByUserName(userName: string): UserRecord | undefined {
    for (const user of this.users.values()) if (user.userName === userName) return user;
    return undefined;
  }

  findGroupByDisplayName(displayName: string): GroupRecord | undefined {
    for (const group of this.groups.values()) if (group.displayName === displayName) return group;
    return undefined;
  }

  findMembership(groupId: string, userId: string): MembershipRecord | undefined {
    for (const m of this.memberships.values()) if (m.groupId === groupId && m.userId === userId) return m;
    return undefined;
  }

  countCall(service: ServiceName, operation: string): void {
    const counts = this.calls[service];
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
  }

  countThrottled(service: ServiceName, operation: string): void {
    const counts = this.throttled[service];
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
  }
}
