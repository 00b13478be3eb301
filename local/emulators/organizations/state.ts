/**
 * The emulator's world: one organization with its root, OUs, accounts, tags and SCPs (with their
 * attachments). Operations read and change it; the snapshot copies it for anyone outside.
 */

export type AccountStatus = "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE";
export type TargetType = "ROOT" | "ORGANIZATIONAL_UNIT" | "ACCOUNT";

export interface UnitRecord {
  id: string;
  name: string;
  parentId: string;
}

export interface AccountRecord {
  id: string;
  name: string;
  email: string;
  parentId: string;
  status: AccountStatus;
  joinedMethod: "CREATED" | "INVITED";
  /** Milliseconds since the epoch. */
  joinedAt: number;
}

export interface PolicyRecord {
  id: string;
  name: string;
  description: string;
  type: "SERVICE_CONTROL_POLICY";
  content: string;
  awsManaged: boolean;
}

export interface CreateAccountStatusRecord {
  id: string;
  accountName: string;
  /** Drawn when requested; reported once SUCCEEDED. */
  accountId: string;
  requestedAt: number;
  state: "IN_PROGRESS" | "SUCCEEDED";
  completedAt?: number;
}

/** The AWS managed SCP attached to the root (and every new OU and account) when SCPs are enabled. */
export const FULL_AWS_ACCESS_ID = "p-FullAWSAccess";
export const FULL_AWS_ACCESS_CONTENT = JSON.stringify(
  { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  null,
  4,
);

export class OrganizationsState {
  readonly organizationId: string;
  readonly rootId: string;
  readonly managementAccountId: string;
  readonly managementAccountEmail: string;
  readonly units = new Map<string, UnitRecord>();
  readonly accounts = new Map<string, AccountRecord>();
  /** Resource id (account, OU, root or policy) -> tag key -> value. */
  readonly tags = new Map<string, Map<string, string>>();
  readonly policies = new Map<string, PolicyRecord>();
  /** Target id -> attached policy ids, in attachment order. */
  readonly attachments = new Map<string, string[]>();
  readonly createAccountStatuses = new Map<string, CreateAccountStatusRecord>();
  /** Calls received per operation (throttled and failed ones included). */
  readonly calls = new Map<string, number>();
  /** Calls answered with TooManyRequestsException, per operation. */
  readonly throttled = new Map<string, number>();

  constructor(init: {
    organizationId: string;
    rootId: string;
    managementAccount: { id: string; name: string; email: string };
    now: number;
  }) {
    this.organizationId = init.organizationId;
    this.rootId = init.rootId;
    this.managementAccountId = init.managementAccount.id;
    this.managementAccountEmail = init.managementAccount.email;
    this.policies.set(FULL_AWS_ACCESS_ID, {
      id: FULL_AWS_ACCESS_ID,
      name: "FullAWSAccess",
      description: "Allows access to every operation",
      type: "SERVICE_CONTROL_POLICY",
      content: FULL_AWS_ACCESS_CONTENT,
      awsManaged: true,
    });
    this.attachments.set(this.rootId, [FULL_AWS_ACCESS_ID]);
    this.addAccount({
      ...init.managementAccount,
      parentId: this.rootId,
      status: "ACTIVE",
      joinedMethod: "CREATED",
      joinedAt: init.now,
    });
  }

  /** Adds an account under its parent with FullAWSAccess attached, as Organizations does. */
  addAccount(account: AccountRecord): void {
    this.accounts.set(account.id, account);
    if (!this.attachments.has(account.id)) this.attachments.set(account.id, [FULL_AWS_ACCESS_ID]);
  }

  /** Adds an OU with FullAWSAccess attached. */
  addUnit(unit: UnitRecord): void {
    this.units.set(unit.id, unit);
    if (!this.attachments.has(unit.id)) this.attachments.set(unit.id, [FULL_AWS_ACCESS_ID]);
  }

  /** Whether `id` is the root or an OU (something accounts and OUs can sit in). */
  isParent(id: string): boolean {
    return id === this.rootId || this.units.has(id);
  }

  targetType(id: string): TargetType | undefined {
    if (id === this.rootId) return "ROOT";
    if (this.units.has(id)) return "ORGANIZATIONAL_UNIT";
    return this.accounts.has(id) ? "ACCOUNT" : undefined;
  }

  /** The name shown for a target (ListTargetsForPolicy). */
  targetName(id: string): string {
    if (id === this.rootId) return "Root";
    return this.units.get(id)?.name ?? this.accounts.get(id)?.name ?? id;
  }

  policiesOn(targetId: string): string[] {
    return this.attachments.get(targetId) ?? [];
  }

  targetsOf(policyId: string): string[] {
    return [...this.attachments].filter(([, ids]) => ids.includes(policyId)).map(([target]) => target);
  }

  tagsOf(resourceId: string): Map<string, string> {
    const tags = this.tags.get(resourceId) ?? new Map<string, string>();
    this.tags.set(resourceId, tags);
    return tags;
  }

  private arnPrefix = () => `arn:aws:organizations::${this.managementAccountId}`;
  organizationArn = () => `${this.arnPrefix()}:organization/${this.organizationId}`;
  rootArn = () => `${this.arnPrefix()}:root/${this.organizationId}/${this.rootId}`;
  unitArn = (id: string) => `${this.arnPrefix()}:ou/${this.organizationId}/${id}`;
  accountArn = (id: string) => `${this.arnPrefix()}:account/${this.organizationId}/${id}`;
  policyArn = (policy: PolicyRecord) =>
    policy.awsManaged
      ? `arn:aws:organizations::aws:policy/service_control_policy/${policy.id}`
      : `${this.arnPrefix()}:policy/${this.organizationId}/service_control_policy/${policy.id}`;
  targetArn(id: string): string {
    const type = this.targetType(id);
    if (type === "ROOT") return this.rootArn();
    return type === "ORGANIZATIONAL_UNIT" ? this.unitArn(id) : this.accountArn(id);
  }

  countCall(operation: string): void {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
  }

  countThrottled(operation: string): void {
    this.throttled.set(operation, (this.throttled.get(operation) ?? 0) + 1);
  }
}
