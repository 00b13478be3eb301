import { mapLimited } from "../../adapters/iam/map-limited.ts";
import type { IdentityCenterState, Organization } from "../../core/estate.ts";
import {
  type AccountPolicyAnswer,
  accountPolicyChecks,
  customerManagedPolicyFindings,
  customerManagedPolicyUses,
  customerManagedReferences,
} from "../../core/plan/customer-managed-policy-checks.ts";
import type { EstateScope } from "../../core/plan/estate-scope.ts";
import type { PolicyReference } from "../../core/plan/permission-set-content.ts";
import type { Finding } from "../../core/plan/plan.ts";
import { DEFAULT_MEMBER_ROLE_NAMES } from "../../core/policy/credentials-policy.ts";
import type { Policy } from "../../core/policy/schema.ts";
import type { CredentialAccount } from "../../core/ports.ts";
import { credentialAccount } from "./credential-accounts.ts";

/** Asks one account's IAM which of `policies` it lacks (adapters/iam/customer-managed-policy-lookup.ts). */
export interface CustomerManagedPolicyLookup {
  missingIn(
    account: CredentialAccount,
    policies: readonly PolicyReference[],
    context: { runId: string },
  ): Promise<AccountPolicyAnswer>;
}

/** The accounts a permission set is provisioned to (IdentityCenterAdapter.listAccountsProvisionedWith). */
export type AccountsProvisionedWith = (permissionSetArn: string) => Promise<{ accountId: string }[]>;

/** What the check did: its findings, and how many accounts and GetPolicy lookups it took. */
export interface CustomerManagedPolicyCheck {
  findings: Finding[];
  accounts: number;
  lookups: number;
}

/**
 * Checks that every account a declared permission set reaches holds the customer managed policies
 * (and customer managed boundary) it references (docs/policy.md, "Customer managed policies in every
 * account"): the reached accounts are the set's provisioned pairs and the plan's new assignments. A
 * scoped run checks its own: its pairs, and each of its sets in every account the set is provisioned
 * to (the scoped read knows only the scope's accounts, so these are listed: two
 * ListAccountsForProvisionedPermissionSet per set, only for a set with customer managed references).
 * One GetPolicy per (account, policy) however many sets share it; `accountConcurrency` accounts at once. One account that cannot be asked is a finding of its own
 * (customer-managed-policy-unchecked); the others are still checked.
 */
export async function checkCustomerManagedPolicies(
  deps: {
    lookup: CustomerManagedPolicyLookup;
    accountsProvisionedWith: AccountsProvisionedWith;
    runId: string;
    accountConcurrency?: number;
  },
  input: {
    policy: Policy;
    organization: Pick<Organization, "accounts">;
    identityCenter: Pick<IdentityCenterState, "permissionSets" | "provisioned">;
    /** The plan's new assignments (assignment.create): creating one provisions the set there. */
    plannedAssignments: readonly { accountId: string; permissionSetArn: string }[];
    /** A scoped run's pairs and sets (core/plan/estate-scope.ts). @default the whole estate */
    scope?: EstateScope;
  },
): Promise<CustomerManagedPolicyCheck> {
  const pairs = input.scope
    ? await scopedPairs(input, input.scope, deps.accountsProvisionedWith)
    : [...input.identityCenter.provisioned, ...input.plannedAssignments];
  const uses = customerManagedPolicyUses({
    policy: input.policy,
    permissionSets: input.identityCenter.permissionSets,
    pairs,
  });
  const checks = accountPolicyChecks(uses);
  // The policy's member roles; the shipped names without a credentials section.
  const memberRoles = input.policy.credentials ?? { accounts: [], memberRoleName: DEFAULT_MEMBER_ROLE_NAMES };
  const answers = await mapLimited(checks, deps.accountConcurrency ?? 8, (check) =>
    deps.lookup.missingIn(
      credentialAccount(input.organization, memberRoles, check.accountId),
      check.policies,
      {
        runId: deps.runId,
      },
    ),
  );
  return {
    findings: customerManagedPolicyFindings(uses, answers),
    accounts: checks.length,
    lookups: checks.reduce((sum, check) => sum + check.policies.length, 0),
  };
}

/** A scoped run's pairs: its own, its planned ones, and every account each of its sets with references reaches. */
async function scopedPairs(
  input: Parameters<typeof checkCustomerManagedPolicies>[1],
  scope: EstateScope,
  accountsProvisionedWith: AccountsProvisionedWith,
): Promise<{ accountId: string; permissionSetArn: string }[]> {
  const inScope = (pair: { accountId: string; permissionSetArn: string }) =>
    scope.permissionSetArns.includes(pair.permissionSetArn) ||
    scope.pairs.some((p) => p.accountId === pair.accountId && p.permissionSetArn === pair.permissionSetArn);
  const referencing = scope.permissionSetArns.filter((arn) => {
    const name = input.identityCenter.permissionSets.find((set) => set.arn === arn)?.name;
    const decl = name === undefined ? undefined : input.policy.permissionSets[name];
    return decl !== undefined && customerManagedReferences(decl).length > 0;
  });
  const provisioned = [];
  for (const permissionSetArn of referencing) {
    for (const { accountId } of await accountsProvisionedWith(permissionSetArn))
      provisioned.push({ accountId, permissionSetArn });
  }
  return [...scope.pairs, ...provisioned, ...input.plannedAssignments.filter(inScope)];
}
