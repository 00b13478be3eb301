/**
 * The IAM emulator's world: per account, its users (with access keys, login profile, MFA devices,
 * inline policies, tags), roles (trust policy, inline policies, tags), customer managed policies and
 * SAML providers; across
 * accounts, the temporary credentials STS issued. IAM names are unique regardless of case ("User
 * names are not distinguished by case", IAM API Reference, CreateUser; the same for roles), so
 * each map is keyed by the lower-cased name and keeps the name as created.
 */

export type AccessKeyStatus = "Active" | "Inactive";

export interface AccessKeyLastUsed {
  date: Date;
  /** e.g. `s3`, `iam`, `sts` (GetAccessKeyLastUsed's `ServiceName`). */
  service: string;
  region: string;
}

export interface AccessKeyRecord {
  id: string;
  secret: string;
  status: AccessKeyStatus;
  createdAt: Date;
  lastUsed?: AccessKeyLastUsed;
}

export interface MfaDeviceRecord {
  serialNumber: string;
  enabledAt: Date;
}

export interface UserRecord {
  name: string;
  id: string;
  path: string;
  createdAt: Date;
  passwordLastUsed?: Date;
  tags: Map<string, string>;
  accessKeys: AccessKeyRecord[];
  loginProfile?: { createdAt: Date; passwordResetRequired: boolean };
  mfaDevices: MfaDeviceRecord[];
  inlinePolicies: Map<string, string>;
}

export interface RoleRecord {
  name: string;
  id: string;
  path: string;
  createdAt: Date;
  trustPolicy: string;
  description?: string;
  /** Seconds. */
  maxSessionDuration: number;
  tags: Map<string, string>;
  inlinePolicies: Map<string, string>;
}

export interface SamlProviderRecord {
  name: string;
  uuid: string;
  metadataDocument: string;
  createdAt: Date;
  validUntil: Date;
  tags: Map<string, string>;
}

/** A customer managed policy (one version: IAM's default version `v1`; versions are not modelled). */
export interface ManagedPolicyRecord {
  name: string;
  id: string;
  path: string;
  document: string;
  description?: string;
  createdAt: Date;
  tags: Map<string, string>;
}

/** Credentials AssumeRole issued: the access key id a later request is signed with. */
export interface SessionRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  roleName: string;
  roleId: string;
  sessionName: string;
  expiresAt: Date;
  sourceIdentity?: string;
}

/** A credential report: a snapshot of the account's users taken when generation started. */
export interface CredentialReportRecord {
  startedAt: Date;
  /** When generation completes (GetCredentialReport answers ReportInProgress before). */
  readyAt: Date;
  csv: string;
}

export class AccountIam {
  readonly users = new Map<string, UserRecord>();
  credentialReport?: CredentialReportRecord;
  readonly roles = new Map<string, RoleRecord>();
  readonly samlProviders = new Map<string, SamlProviderRecord>();
  /** Customer managed policies by lower-cased name (names are unique per account whatever the path). */
  readonly policies = new Map<string, ManagedPolicyRecord>();
  readonly accountId: string;
  constructor(accountId: string) {
    this.accountId = accountId;
  }

  user(name: string): UserRecord | undefined {
    return this.users.get(name.toLowerCase());
  }
  role(name: string): RoleRecord | undefined {
    return this.roles.get(name.toLowerCase());
  }
}

export class IamState {
  private readonly accounts = new Map<string, AccountIam>();
  /** Access key id -> the session AssumeRole issued. */
  readonly sessions = new Map<string, SessionRecord>();
  readonly calls = new Map<string, number>();
  /** Called once per account, when its IAM is first read (the roles Organizations puts there). */
  private readonly onNewAccount: (account: AccountIam) => void;

  constructor(onNewAccount: (account: AccountIam) => void = () => {}) {
    this.onNewAccount = onNewAccount;
  }

  /** The IAM of an account; every 12-digit account exists (empty unless seeded or provisioned). */
  account(accountId: string): AccountIam {
    let account = this.accounts.get(accountId);
    if (account === undefined) {
      account = new AccountIam(accountId);
      this.accounts.set(accountId, account);
      this.onNewAccount(account);
    }
    return account;
  }

  /** Accounts whose IAM has been read or written so far. */
  accountIds(): string[] {
    return [...this.accounts.keys()].sort();
  }

  /** The user holding an access key, in any account. */
  findAccessKey(
    accessKeyId: string,
  ): { account: AccountIam; user: UserRecord; key: AccessKeyRecord } | undefined {
    for (const account of this.accounts.values()) {
      for (const user of account.users.values()) {
        const key = user.accessKeys.find((k) => k.id === accessKeyId);
        if (key) return { account, user, key };
      }
    }
    return undefined;
  }
}
