import type { PolicyProblem } from "./policy-error.ts";
import type { Policy } from "./schema.ts";

/**
 * What the `credentials` schema cannot check: an outside account is listed once and is not the
 * management account (which is in the Organization), a naming rule is listed once, and a break-glass
 * user is listed once (IAM user names are unique regardless of case).
 */
export function validateCredentials(policy: Policy): PolicyProblem[] {
  const credentials = policy.credentials;
  if (credentials === undefined) return [];
  return [
    ...repeated(
      credentials.accounts.map((account) => account.id),
      (index) => ["credentials", "accounts", index, "id"],
      (id) => `account ${id} is listed twice`,
      "keep one entry per account",
    ),
    ...credentials.accounts.flatMap((account, index): PolicyProblem[] =>
      account.id === policy.managementAccountId
        ? [
            {
              path: ["credentials", "accounts", index, "id"],
              message: `account ${account.id} is the management account, which is in the Organization`,
              fix: "list only accounts outside the Organization under credentials.accounts",
            },
          ]
        : [],
    ),
    ...repeated(
      credentials.iamUsers.namingRules,
      (index) => ["credentials", "iamUsers", "namingRules", index],
      (rule) => `naming rule ${rule} is listed twice`,
      "keep each naming rule once: they are tried in order",
    ),
    ...repeated(
      credentials.breakGlass.map(breakGlassKey),
      (index) => ["credentials", "breakGlass", index],
      (key) => `break-glass user ${key} is listed twice`,
      "keep each break-glass user once (IAM user names are unique regardless of case)",
    ),
  ];
}

/** `account:username` of a break-glass entry, lower-cased: the ARN and the short form name one user. */
export function breakGlassKey(entry: string): string {
  const arn = /^arn:[^:]+:iam::(\d{12}):user\/(?:.*\/)?([^/]+)$/.exec(entry);
  const [account, name] = arn === null ? entry.split(":") : [arn[1], arn[2]];
  return `${account}:${String(name).toLowerCase()}`;
}

function repeated(
  values: readonly string[],
  pathOf: (index: number) => PolicyProblem["path"],
  message: (value: string) => string,
  fix: string,
): PolicyProblem[] {
  const seen = new Set<string>();
  return values.flatMap((value, index) => {
    if (!seen.has(value)) {
      seen.add(value);
      return [];
    }
    return [{ path: pathOf(index), message: message(value), fix }];
  });
}
