import { compareText } from "../credentials/compare-text.ts";
import type { IcPermissionSet } from "../estate.ts";
import type { Policy } from "../policy/schema.ts";
import type { CredentialAccountProblem } from "../ports.ts";
import { type PolicyReference, referenceKey } from "./permission-set-content.ts";
import type { Finding } from "./plan.ts";

/*
 * A permission set that references a customer managed policy (or uses one as its permissions boundary)
 * provisions only to accounts that hold a policy of that name and path: "you must first create the IAM
 * policy in each AWS account to which you want to assign the permission set"; otherwise provisioning to
 * that account fails (IAM Identity Center User Guide, "Customer managed policies"). The estate run asks
 * IAM in each account the set reaches (GetPolicy) and reports each missing policy per account.
 */

/** One declared set's use of one customer managed policy in one account it reaches. */
export interface CustomerManagedPolicyUse {
  permissionSet: string;
  accountId: string;
  policy: PolicyReference;
  usedAs: "customer-managed-policy" | "permissions-boundary";
}

/** The customer managed policies to look up in one account, each once, sorted by path and name. */
export interface AccountPolicyChecks {
  accountId: string;
  policies: PolicyReference[];
}

/** What IAM answered in one account: the policies it lacks, or why it could not be asked. */
export type AccountPolicyAnswer =
  | { accountId: string; missing: PolicyReference[] }
  | { accountId: string; problem: CredentialAccountProblem };

/** A set's customer managed references, the boundary last, as the policy declares them. */
export function customerManagedReferences(
  decl: Policy["permissionSets"][string],
): { policy: PolicyReference; usedAs: CustomerManagedPolicyUse["usedAs"] }[] {
  const refs = (decl.customerManagedPolicies ?? []).map(
    (ref): { policy: PolicyReference; usedAs: CustomerManagedPolicyUse["usedAs"] } => ({
      policy: { name: ref.name, path: ref.path },
      usedAs: "customer-managed-policy",
    }),
  );
  const boundary = decl.permissionsBoundary;
  if (boundary !== undefined && typeof boundary !== "string")
    refs.push({ policy: { name: boundary.name, path: boundary.path }, usedAs: "permissions-boundary" });
  return refs;
}

/**
 * Every (declared set, account, customer managed policy) to check: the sets the policy declares with
 * customer managed references, in each account of `pairs` (the provisioned pairs and the plan's new
 * assignments) whose set is one of them. Unique, sorted by
 * account, set, then policy (a policy used both ways: the reference before the boundary, as declared).
 */
export function customerManagedPolicyUses(input: {
  policy: Policy;
  permissionSets: readonly IcPermissionSet[];
  pairs: readonly { accountId: string; permissionSetArn: string }[];
}): CustomerManagedPolicyUse[] {
  const byArn = new Map(input.permissionSets.map((set) => [set.arn, set.name]));
  const uses = new Map<string, CustomerManagedPolicyUse>();
  for (const pair of input.pairs) {
    const name = byArn.get(pair.permissionSetArn);
    if (name === undefined) continue;
    const decl = input.policy.permissionSets[name];
    if (decl === undefined) continue;
    for (const ref of customerManagedReferences(decl)) {
      const use = { permissionSet: name, accountId: pair.accountId, ...ref };
      uses.set([pair.accountId, name, referenceKey(ref.policy), ref.usedAs].join("\n"), use);
    }
  }
  return [...uses.values()].sort(
    (a, b) =>
      compareText(a.accountId, b.accountId) ||
      compareText(a.permissionSet, b.permissionSet) ||
      compareText(referenceKey(a.policy), referenceKey(b.policy)),
  );
}

/** The lookups `uses` need: one per (account, policy), however many sets share the policy. */
export function accountPolicyChecks(uses: readonly CustomerManagedPolicyUse[]): AccountPolicyChecks[] {
  const byAccount = new Map<string, Map<string, PolicyReference>>();
  for (const use of uses) {
    const policies = byAccount.get(use.accountId) ?? new Map<string, PolicyReference>();
    policies.set(referenceKey(use.policy), use.policy);
    byAccount.set(use.accountId, policies);
  }
  return [...byAccount.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([accountId, policies]) => ({
      accountId,
      policies: [...policies.entries()].sort(([a], [b]) => compareText(a, b)).map(([, policy]) => policy),
    }));
}

/** What to do about a missing policy: create it there, or stop referencing it. */
export const missingPolicyFix = (use: CustomerManagedPolicyUse) =>
  `create the IAM policy ${referenceKey(use.policy)} in account ${use.accountId} (for every account at once, e.g. with a CloudFormation StackSet), or remove it from permissionSets.${use.permissionSet}.${use.usedAs === "permissions-boundary" ? "permissionsBoundary" : "customerManagedPolicies"}`;

/**
 * The findings of the answers: a `customer-managed-policy-missing` per (set, account, policy) IAM does
 * not hold, and a `customer-managed-policy-unchecked` per account that could not be asked (naming the
 * sets and policies left unchecked there, and the fix of the account's problem). Sorted as `uses`.
 */
export function customerManagedPolicyFindings(
  uses: readonly CustomerManagedPolicyUse[],
  answers: readonly AccountPolicyAnswer[],
): Finding[] {
  const answerOf = new Map(answers.map((answer) => [answer.accountId, answer]));
  const findings: Finding[] = [];
  for (const use of uses) {
    const answer = answerOf.get(use.accountId);
    if (answer === undefined || "problem" in answer) continue;
    if (!answer.missing.some((ref) => referenceKey(ref) === referenceKey(use.policy))) continue;
    const as = use.usedAs === "permissions-boundary" ? " as its permissions boundary" : "";
    const fix = missingPolicyFix(use);
    findings.push({
      kind: "customer-managed-policy-missing",
      message: `permission set ${use.permissionSet} references the customer managed policy ${referenceKey(use.policy)}${as}, which account ${use.accountId} does not hold: provisioning ${use.permissionSet} to ${use.accountId} fails until it exists. Fix: ${fix}`,
      subject: {
        permissionSet: use.permissionSet,
        accountId: use.accountId,
        policyName: use.policy.name,
        policyPath: use.policy.path,
        usedAs: use.usedAs,
        fix,
      },
    });
  }
  for (const answer of answers) {
    if (!("problem" in answer)) continue;
    const mine = uses.filter((use) => use.accountId === answer.accountId);
    if (mine.length === 0) continue;
    const sets = [...new Set(mine.map((use) => use.permissionSet))].sort();
    const policies = [...new Set(mine.map((use) => referenceKey(use.policy)))].sort();
    findings.push({
      kind: "customer-managed-policy-unchecked",
      message: `could not check that account ${answer.accountId} holds the customer managed policies ${policies.join(", ")} (of ${sets.join(", ")}): ${answer.problem.message}. Fix: ${answer.problem.fix}`,
      subject: {
        accountId: answer.accountId,
        code: answer.problem.code,
        permissionSets: sets.join(","),
        policies: policies.join(","),
        fix: answer.problem.fix,
      },
    });
  }
  return findings;
}
