/**
 * IAM roles built from infra/permissions.ts: one per function, state machine and schedule, each with
 * exactly the grants the permissions module lists for its key (and nothing SST would add by default),
 * all under the stage's IAM path (`/okta-aws-lifecycle/<stage>/`, infra/names.ts).
 */
import {
  type PermissionFacts,
  policyDocument,
  type RoleKey,
  rolePermissions,
  trustPolicyDocument,
} from "./permissions.ts";

const pascal = (key: string) =>
  key
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");

/** The role for `key`, its inline policy rendered from the facts once they are known. */
export function leastPrivilegeRole(key: RoleKey, facts: $util.Output<PermissionFacts>) {
  const permissions = facts.apply((f) => ({ role: rolePermissions(f)[key], accountId: f.accountId }));
  return new aws.iam.Role(`${pascal(key)}Role`, {
    // The Organizations delegation policy (docs/deploy.md) names the tool's roles by this path.
    path: facts.apply((f) => f.names.rolePath),
    description: permissions.apply(({ role }) => `okta-aws-lifecycle: ${role.purpose}`.slice(0, 1000)),
    assumeRolePolicy: permissions.apply(({ role, accountId }) =>
      JSON.stringify(trustPolicyDocument(role.principal, accountId)),
    ),
    inlinePolicies: [
      {
        name: "least-privilege",
        policy: permissions.apply(({ role }) => JSON.stringify(policyDocument(role.grants))),
      },
    ],
    // No managed policies: AWSLambdaBasicExecutionRole would grant logs on `*`.
    managedPolicyArns: [],
  });
}
