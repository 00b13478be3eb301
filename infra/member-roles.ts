/**
 * The member-roles StackSet: infra/templates/member-roles.json in every account of the Organization (or
 * of the OUs given), with service-managed permissions and auto-deployment, so an account that joins
 * later gets the roles without anyone acting, and one that leaves loses them. Created from the stack's
 * own account: the management account (`callAs: SELF`), or a delegated administrator for CloudFormation
 * StackSets (`callAs: DELEGATED_ADMIN`: "If you are signed in to a delegated administrator account,
 * specify DELEGATED_ADMIN", CloudFormation API Reference, CreateStackSet, CallAs; the account must be
 * registered with `aws organizations register-delegated-administrator --service-principal
 * member.org.stacksets.cloudformation.amazonaws.com`).
 *
 * Service-managed StackSets never deploy to the management account ("StackSets doesn't deploy stack
 * instances to the organization's management account, even if the management account is in your
 * organization", CloudFormation User Guide, "Create a stack set with service-managed permissions"), and
 * accounts outside the Organization are not reached either: both deploy the same template by hand
 * (docs/credentials.md, "Reaching every account"). IAM is global, so one region holds the instances.
 * A failed account does not stop the others (failure tolerance 100%): discovery reports it as
 * `role-not-assumable`.
 */
import { readFileSync } from "node:fs";
import type { Topology } from "../core/topology.ts";
import type { ResourceNames } from "./names.ts";

export interface MemberRolesOptions {
  names: ResourceNames;
  partition: $util.Input<string>;
  /** The account the tool runs in (its task roles assume the member roles). */
  toolAccountId: $util.Input<string>;
  /** management: `callAs: SELF`; delegated-admin: `callAs: DELEGATED_ADMIN`. */
  topology: Topology;
  /** The organization's root id (`r-...`) for every account, or the OUs (`ou-...`) to reach. */
  organizationalUnitIds: $util.Input<string[]>;
  /** The region the stack instances are created in (IAM roles are global). */
  region: $util.Input<string>;
  /** `credentials.memberRoleName`. @default the template's defaults */
  roleNames?: { discovery: string; revocation: string };
  /** Required as `sts:ExternalId` by both roles when set. */
  externalId?: string;
}

/** The ArnLike pattern of the tool's task roles: every role under the stack's role path. */
export const toolPrincipalPattern = (o: Pick<MemberRolesOptions, "partition" | "toolAccountId" | "names">) =>
  $interpolate`arn:${o.partition}:iam::${o.toolAccountId}:role${o.names.rolePath}*`;

export function memberRolesStackSet(options: MemberRolesOptions) {
  const callAs = options.topology === "delegated-admin" ? "DELEGATED_ADMIN" : "SELF";
  const templateBody = readFileSync(new URL("./templates/member-roles.json", import.meta.url), "utf8");
  const stackSet = new aws.cloudformation.StackSet("MemberRoles", {
    name: `${options.names.prefix}-member-roles`,
    description:
      "okta-aws-lifecycle: the discovery and revocation roles in every account (docs/credentials.md)",
    permissionModel: "SERVICE_MANAGED",
    autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
    callAs,
    capabilities: ["CAPABILITY_NAMED_IAM"],
    managedExecution: { active: true },
    templateBody,
    parameters: {
      ToolAccountId: options.toolAccountId,
      ToolPrincipalArns: toolPrincipalPattern(options),
      ExternalId: options.externalId ?? "",
      ...(options.roleNames
        ? { DiscoveryRoleName: options.roleNames.discovery, RevocationRoleName: options.roleNames.revocation }
        : {}),
    },
    operationPreferences: {
      failureTolerancePercentage: 100,
      maxConcurrentPercentage: 25,
      regionConcurrencyType: "PARALLEL",
    },
  });
  const instances = new aws.cloudformation.StackSetInstance("MemberRolesInstances", {
    stackSetName: stackSet.name,
    callAs,
    stackSetInstanceRegion: options.region,
    deploymentTargets: { organizationalUnitIds: options.organizationalUnitIds },
    operationPreferences: { failureTolerancePercentage: 100, maxConcurrentPercentage: 25 },
  });
  return { stackSet, instances };
}
