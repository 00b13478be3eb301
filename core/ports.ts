/**
 * The interfaces adapters implement. Core and workflows depend on these, never on an SDK, so the
 * same logic runs against AWS/Okta and against the local emulators.
 */
import type {
  Assignment,
  DenyEntry,
  IdentityCenterState,
  OktaGroup,
  OktaTruth,
  OktaUser,
  Organization,
} from "./estate.ts";

/** Wall-clock time, injected so core stays deterministic. */
export interface Clock {
  /** The current instant as ISO-8601 UTC. */
  now(): string;
}

/** Unique ids for runs and records, injected for the same reason. */
export interface IdGenerator {
  next(): string;
}

/** Okta's Management API: the truth about users and groups. */
export interface OktaPort {
  getUser(userId: string): Promise<OktaUser | null>;
  listUserGroups(userId: string): Promise<OktaGroup[]>;
  /** Every user and the named groups with their members (a failed group read yields `memberIds: null`). */
  readTruth(groupNames: readonly string[]): Promise<OktaTruth>;
  clearUserSessions(userId: string): Promise<void>;
}

/** AWS Organizations: accounts, OUs, tags, and the revocation SCPs. */
export interface OrganizationsPort {
  readOrganization(): Promise<Organization>;
  /** Writes the Deny set into the revocation SCPs (sharding across policies as they fill). */
  writeRevocationDenies(denies: readonly DenyEntry[]): Promise<void>;
}

/** An asynchronous Identity Center operation, polled to completion. */
export interface AsyncOperation {
  requestId: string;
  status: "IN_PROGRESS" | "SUCCEEDED" | "FAILED";
  failureReason?: string;
}

/** IAM Identity Center (sso-admin + identitystore). */
export interface IdentityCenterPort {
  readState(): Promise<IdentityCenterState>;
  createAssignment(assignment: Assignment): Promise<AsyncOperation>;
  deleteAssignment(assignment: Assignment): Promise<AsyncOperation>;
  assignmentCreationStatus(requestId: string): Promise<AsyncOperation>;
  assignmentDeletionStatus(requestId: string): Promise<AsyncOperation>;
  addMembership(groupId: string, userId: string): Promise<void>;
  removeMembership(groupId: string, userId: string): Promise<void>;
  /** Replaces the tool's Deny statements in a permission set's inline policy. */
  writeInlineDenies(permissionSetArn: string, denies: readonly DenyEntry[]): Promise<void>;
  reprovision(permissionSetArn: string, accountId: string): Promise<AsyncOperation>;
  provisioningStatus(requestId: string): Promise<AsyncOperation>;
}

/** Write-once storage for evidence records. */
export interface EvidenceStore {
  /** Stores a record under `key`; fails if the key exists (records are never overwritten). */
  put(key: string, body: string): Promise<void>;
  get(key: string): Promise<string>;
  /** Keys under a prefix, in lexicographic order. */
  list(prefix: string): Promise<string[]>;
}
