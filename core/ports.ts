/**
 * The interfaces adapters implement. Workflow tasks depend on these, never on an SDK, so the same
 * logic runs against AWS/Okta and against the local emulators.
 */
import type { AccountRoles } from "./credentials/account-roles.ts";
import type { CredentialAction } from "./credentials/credential-action.ts";
import type { IamUser } from "./credentials/iam-user.ts";
import type { OktaTrustingRole } from "./credentials/plan-credential-revocation.ts";
import type { Assignment, DenyEntry, IcGroup, IcPermissionSet, OktaUser } from "./estate.ts";
import type { UserOktaGroup } from "./plan/user-truth.ts";
import type { FederatedMassFallback } from "./revocation/federated-mass-fallback.ts";
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
    /** The federated mass fallback written (Okta-trusting roles), or null/absent. */
    federatedFallback?: FederatedMassFallback | null;
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

/** One account whose IAM credentials the tool reads and ends (core/credentials/account-roles.ts). */
export interface CredentialAccount {
  accountId: string;
  /** Shown in findings and evidence (the Organization's account name, or `credentials.accounts[].name`). */
  name: string;
  /** False for `credentials.accounts` (outside the Organization: no SCP reaches them). */
  inOrganization: boolean;
  roles: AccountRoles;
}

/** Why an account's credentials could not be read or changed, as a finding names it. */
export interface CredentialAccountProblem {
  accountId: string;
  /** e.g. `role-not-assumable` (wrong role name, missing StackSet instance), `account-unreachable`. */
  code: string;
  message: string;
  /** What to do about it. */
  fix: string;
}

/** What discovery read in one account (read-only role). */
export interface AccountCredentials {
  accountId: string;
  users: IamUser[];
  /** Roles whose trust policy trusts a SAML provider (ListSAMLProviders, ListRoles). */
  oktaTrustingRoles: OktaTrustingRole[];
}

/**
 * Reads IAM users, keys, login profiles, MFA devices and Okta-trusting roles in member and outside
 * accounts through the discovery role (adapters/iam implements it). One account's failure is a
 * problem for that account; the others are still read.
 */
export interface CredentialDiscoveryPort {
  discover(
    accounts: readonly CredentialAccount[],
    context: { runId: string },
  ): Promise<{ accounts: AccountCredentials[]; problems: CredentialAccountProblem[] }>;
}

/**
 * Applies credential actions (core/credentials/credential-action.ts) that are IAM calls through the
 * revocation role, and lifts a role's federated Deny after the hold. `federated-deny.scp` actions are
 * not IAM calls: they go through the revocation SCPs.
 */
export interface CredentialRevocationPort {
  apply(
    account: CredentialAccount,
    actions: readonly CredentialAction[],
    context: { runId: string },
  ): Promise<
    {
      action: CredentialAction;
      status: "SUCCEEDED" | "FAILED";
      error?: string;
    }[]
  >;
  liftRoleDeny(
    account: CredentialAccount,
    roleName: string,
    policyName: string,
    context: { runId: string },
  ): Promise<void>;
}
