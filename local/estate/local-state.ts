/**
 * What `GET /local/state` answers: a snapshot of the emulated world, read from the emulators. The
 * local stack fills it; the state page (`renderStatePage`) renders it. Field names follow the AWS
 * and Okta APIs where one exists. Every list is a plain copy, safe to serialize as JSON.
 */
export interface LocalState {
  /** When the snapshot was taken, ISO-8601 UTC. */
  generatedAt: string;
  organization: LocalOrganization;
  okta: {
    users: LocalOktaUser[];
    groups: LocalOktaGroup[];
  };
  identityCenter: LocalIdentityCenter;
  /** Service control policies, with their documents as stored. */
  scps: LocalScp[];
  /** Deny statements on `identitystore:userId` in force, in SCPs or permission-set inline policies. */
  denies: LocalDeny[];
  evidence: LocalEvidence;
  /** Event hook deliveries by the Okta emulator, oldest first. */
  hookDeliveries: LocalHookDelivery[];
}

export interface LocalOrganization {
  rootId: string;
  managementAccountId: string;
  units: { id: string; name: string; parentId: string }[];
  accounts: {
    id: string;
    name: string;
    parentId: string;
    status: "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE";
    tags: Record<string, string>;
  }[];
}

export interface LocalOktaUser {
  id: string;
  login: string;
  firstName: string;
  lastName: string;
  /** The Okta status, e.g. ACTIVE, SUSPENDED, DEPROVISIONED. */
  status: string;
  profile: Record<string, string>;
}

export interface LocalOktaGroup {
  id: string;
  name: string;
  description?: string;
  /** `OKTA_GROUP` (made in Okta) or `APP_GROUP` (imported from a directory: AD, LDAP), which may share a name. */
  type: "OKTA_GROUP" | "APP_GROUP";
  /** An `APP_GROUP`'s source app id. */
  sourceAppId?: string;
  /** Okta user ids of the members. */
  memberIds: string[];
}

export interface LocalIdentityCenter {
  instanceArn: string;
  identityStoreId: string;
  users: { userId: string; userName: string; displayName?: string }[];
  groups: { groupId: string; displayName: string }[];
  memberships: { membershipId: string; groupId: string; userId: string }[];
  permissionSets: LocalPermissionSet[];
  assignments: {
    accountId: string;
    permissionSetArn: string;
    principalType: "USER" | "GROUP";
    principalId: string;
  }[];
  /** Account assignment and provisioning operations still IN_PROGRESS. */
  pendingOperations: number;
}

export interface LocalPermissionSet {
  arn: string;
  name: string;
  sessionDuration: string;
  managedPolicyArns: string[];
  /** The inline policy document as stored (a JSON string), or null when there is none. */
  inlinePolicy: string | null;
  /** Accounts the permission set is provisioned to. */
  provisionedAccountIds: string[];
}

export interface LocalScp {
  id: string;
  name: string;
  /** The policy document as stored (a JSON string). */
  content: string;
  /** Root, OU and account ids it is attached to. */
  targetIds: string[];
}

export interface LocalDeny {
  /** The Identity Center user id the Deny matches (`identitystore:userId`). */
  userId: string;
  /** The user's userName, when the user still exists in Identity Center. */
  userName?: string;
  /** `scp`: in a service control policy; `inline`: in a permission set's inline policy. */
  where: "scp" | "inline";
  /** The SCP's name, or the permission set's name. */
  policyName: string;
  sid?: string;
  /** `aws:PrincipalArn` patterns the Deny is limited to (a mover); empty when it covers every session. */
  principalArnPatterns: string[];
}

export interface LocalEvidence {
  bucket: string;
  /** URL of the bucket on the local S3 endpoint; an object is at `${baseUrl}/${key}`. */
  baseUrl: string;
  /** Object keys, in lexicographic order. */
  keys: string[];
  /** The key that signs the daily manifests: `evidence verify` checks them with this public key. */
  signing?: { keyId: string; publicKeyPem: string };
}

export interface LocalHookDelivery {
  /** When the delivery started, ISO-8601 UTC. */
  at: string;
  /** GET for the one-time verification, POST for events. */
  method: "GET" | "POST";
  url: string;
  /** 1 for the first attempt, 2 for Okta's single retry. */
  attempt: number;
  /** The Okta event types in the batch (empty for verification). */
  eventTypes: string[];
  /** The LogEvent uuids in the batch. */
  eventIds: string[];
  /** The HTTP status the hook answered, or null on a timeout or connection error. */
  status: number | null;
  durationMs: number;
  /** What went wrong, for a timeout or connection error. */
  error?: string;
}
