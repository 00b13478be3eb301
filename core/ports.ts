/**
 * The interfaces adapters implement. Workflow tasks depend on these, never on an SDK, so the same
 * logic runs against AWS/Okta and against the local emulators.
 */
import type { Assignment, DenyEntry, IcGroup, IcPermissionSet, OktaUser } from "./estate.ts";
import type { UserOktaGroup } from "./plan/user-truth.ts";
import type { MassFallbackMode } from "./revocation/fit-revocation-scps.ts";
import type { MassFallback } from "./revocation/mass-fallback.ts";

/** The Okta reads and writes user-reconcile needs (adapters/okta implements them). */
export interface OktaUserPort {
  /** `null` only when Okta answers 404. */
  getUser(idOrLogin: string): Promise<OktaUser | null>;
  /** The user's groups, each with its id and type (an `APP_GROUP` may share an `OKTA_GROUP`'s name). */
  listUserGroups(userId: string): Promise<UserOktaGroup[]>;
  /** Every group called exactly this name (more than one: an `APP_GROUP` beside an `OKTA_GROUP`). */
  findGroupsByName(name: string): Promise<UserOktaGroup[]>;
  /** The group with this id; `null` if Okta has none. */
  findGroupById(id: string): Promise<UserOktaGroup | null>;
  clearUserSessions(userId: string): Promise<void>;
}

/** An Identity Center user as the identity source provisioned it. */
export interface IdentityCenterUserIdentity {
  userId: string;
  /** Optional in the identitystore model. */
  userName: string | null;
  /** What the identity source's SCIM stored as the user's external id (Okta: the Okta user id). */
  externalIds: { issuer: string; id: string }[];
}

/** The Identity Center calls user-reconcile's Lambda tasks make (the async deletes are SDK tasks). */
export interface IdentityCenterUserPort {
  findUserIdByUserName(userName: string): Promise<string | null>;
  findUserIdByExternalId(issuer: string, externalId: string): Promise<string | null>;
  /** `null` when the user no longer exists. */
  describeUser(userId: string): Promise<IdentityCenterUserIdentity | null>;
  listUserGroupMemberships(userId: string): Promise<{ membershipId: string; groupId: string }[]>;
  listAssignmentsForPrincipal(principalId: string, principalType: "USER" | "GROUP"): Promise<Assignment[]>;
  listGroups(): Promise<IcGroup[]>;
  listPermissionSets(): Promise<IcPermissionSet[]>;
  listProvisionedPermissionSets(
    accountId: string,
  ): Promise<{ permissionSetArn: string; outdated: boolean }[]>;
  getInlinePolicy(permissionSetArn: string): Promise<string | null>;
  putInlinePolicy(permissionSetArn: string, document: string): Promise<void>;
  deleteInlinePolicy(permissionSetArn: string): Promise<void>;
}

/** The revocation SCPs (adapters/organizations implements it). */
export interface RevocationScpPort {
  /**
   * `massFallback` (policy `revocation.massFallback`, default `ask`): what to do when the Denies fit in
   * no slot (core/revocation/fit-revocation-scps.ts).
   */
  writeRevocationScps(
    denies: readonly DenyEntry[],
    options?: { massFallback?: MassFallbackMode },
  ): Promise<{
    policyIds: string[];
    overflow: unknown[];
    /** The mass fallback written, or null/absent. */
    fallback?: MassFallback | null;
    /** Users whose Denies no slot holds and no fallback covers. @default [] */
    uncovered?: string[];
    /** The size the slots were written at when Organizations refused the configured one. */
    limitHit?: { configuredChars: number; writtenChars: number };
  }>;
  /** The tool's SCP documents currently attached, as JSON text. */
  listRevocationScps(): Promise<{ policyId: string; content: string }[]>;
}

/**
 * Proves by policy evaluation that a user's session is denied in an account (the local stack
 * evaluates the SCPs with an IAM simulator). Absent in AWS, where verification reads the policies back.
 */
export interface DenyProver {
  isDenied(request: {
    userId: string;
    accountId: string;
    permissionSetName: string;
    scps: string[];
    inline: string[];
    /** When the session's credentials were issued (`aws:TokenIssueTime`). @default now */
    tokenIssuedAt?: string;
  }): Promise<boolean>;
}

/**
 * Signs evidence manifests (ECDSA P-256 with SHA-256): KMS asymmetric key in AWS, a key pair the local
 * stack generates on a laptop. Anyone with `publicKeyPem` verifies a signature offline.
 */
export interface EvidenceSigner {
  /** Names the key in every signature it makes (a KMS key ARN, or `local:<fingerprint>`). */
  readonly keyId: string;
  /** The DER-encoded ECDSA signature of SHA-256(`bytes`). */
  sign(bytes: Uint8Array): Promise<Uint8Array>;
  /** The public key (SubjectPublicKeyInfo, PEM) that verifies the signatures. */
  publicKeyPem(): Promise<string>;
}
