import { closestName } from "../../core/policy/closest-name.ts";
import type { EstateProblemAt } from "./estate-error.ts";
import type { EstateFile } from "./schema.ts";

/**
 * What the schema cannot check in the estate's `iam` section: every user, SAML provider and role names
 * an account the estate has (the Organization's, or one outside it), an outside account is not also in
 * the Organization, names are unique per account (IAM user and role names regardless of case: IAM User
 * Guide, "IAM identifiers"), and a federated role trusts a SAML provider of its own account.
 */
export function checkIamReferences(estate: EstateFile): EstateProblemAt[] {
  const iam = estate.iam;
  if (iam === undefined) return [];
  const problems: EstateProblemAt[] = [];
  const inOrganization = new Set(estate.organization.accounts.map((a) => a.id));
  const known = [...inOrganization, ...iam.outsideAccounts.map((a) => a.id)];
  for (const [index, account] of iam.outsideAccounts.entries()) {
    if (inOrganization.has(account.id))
      problems.push({
        path: ["iam", "outsideAccounts", index, "id"],
        message: `account ${account.id} is in organization.accounts, so it is not outside the Organization`,
        fix: "list under iam.outsideAccounts only accounts the Organization does not have",
      });
  }
  const checkAccount = (
    list: "users" | "samlProviders" | "federatedRoles",
    index: number,
    account: string,
  ) => {
    if (known.includes(account)) return;
    const guess = closestName(account, known);
    problems.push({
      path: ["iam", list, index, "account"],
      message: `unknown account '${account}'`,
      fix: `use an organization.accounts[].id or an iam.outsideAccounts[].id${guess ? ` (did you mean '${guess}'?)` : ""}`,
    });
  };
  const unique = (
    list: "users" | "samlProviders" | "federatedRoles",
    items: { account: string; name: string }[],
    noun: string,
  ) => {
    const seen = new Set<string>();
    for (const [index, item] of items.entries()) {
      checkAccount(list, index, item.account);
      const key = `${item.account}:${item.name.toLowerCase()}`;
      if (seen.has(key))
        problems.push({
          path: ["iam", list, index, "name"],
          message: `${noun} '${item.name}' is declared twice in account ${item.account} (names are unique regardless of case)`,
          fix: "keep one of them",
        });
      seen.add(key);
    }
  };
  unique("users", iam.users, "IAM user");
  unique("samlProviders", iam.samlProviders, "SAML provider");
  unique("federatedRoles", iam.federatedRoles, "role");
  for (const [index, role] of iam.federatedRoles.entries()) {
    const providers = iam.samlProviders.filter((p) => p.account === role.account).map((p) => p.name);
    if (providers.includes(role.samlProvider)) continue;
    const guess = closestName(role.samlProvider, providers);
    problems.push({
      path: ["iam", "federatedRoles", index, "samlProvider"],
      message: `no SAML provider '${role.samlProvider}' in account ${role.account}`,
      fix: `declare it under iam.samlProviders for account ${role.account}${guess ? ` (did you mean '${guess}'?)` : ""}`,
    });
  }
  return problems;
}
