/**
 * The deployment's topology (core/topology.ts), decided and checked before any resource is created:
 * sst.config.ts awaits infra/preflight.ts first, so a setting that cannot work in this account fails
 * the deploy with what to set, instead of half-way through it.
 *
 * - `management`: the stack is in the management account. Organizations events are forwarded by the
 *   stack itself (`OAL_ORGANIZATIONS_EVENTS=forward`), and its roles also get the IAM actions that
 *   provisioning permission sets in the management account takes (infra/permissions.ts,
 *   `managementAccountProvisioning`).
 * - `delegated-admin`: the stack is in Identity Center's delegated administrator account. The
 *   management-account part of a revocation (inline Denies in the permission sets provisioned there,
 *   their re-provisioning) is made through the management component, a role the pipeline assumes in
 *   the management account (infra/templates/management-component.yaml, deployed there by an
 *   administrator); Organizations events need the management account's forwarding rule
 *   (`OAL_ORGANIZATIONS_EVENTS=external`, docs/deploy.md).
 */
import { type Topology, topologyOf } from "../core/topology.ts";
import type { ResourceNames } from "./names.ts";
import {
  DeploymentParameterError,
  type DeploymentParameters,
  type OrganizationsEventsMode,
} from "./parameters.ts";

/** What the deploying credentials see of the organization (read-only calls, before any resource). */
export interface DeployingAccount {
  partition: string;
  /** The account the stack deploys to. */
  accountId: string;
  managementAccountId: string;
  /** The root's SCP policy type status; undefined when it could not be read. */
  scpEnabled?: boolean;
  rootId?: string;
}

/** The management component: the role the pipeline assumes in the management account. */
export interface ManagementComponent {
  roleArn: string;
  externalId: string;
  /** The role's name and path, as the template takes them. */
  roleName: string;
  rolePath: string;
  /** The pipeline's roles that may assume it (the template's trust policy names them by path). */
  pipelineAccountId: string;
}

export interface DeploymentTopology {
  topology: Topology;
  organizationsEvents: OrganizationsEventsMode;
  /** Only for `delegated-admin`. */
  managementComponent?: ManagementComponent;
}

/** The management component's role name: `<app>-<stage>-management-component` (at most 56 characters). */
export const managementComponentRoleName = (names: Pick<ResourceNames, "prefix">) =>
  `${names.prefix}-management-component`;

/**
 * Decides the topology from the parameters and the deploying account, and refuses every combination
 * that cannot work, in one error that names each problem and its fix. Pure.
 */
export function resolveTopology(
  parameters: DeploymentParameters,
  account: DeployingAccount,
  names: Pick<ResourceNames, "prefix" | "rolePath">,
): DeploymentTopology {
  const problems: string[] = [];
  const actual = topologyOf(account.accountId, account.managementAccountId);
  const topology = parameters.topology ?? actual;
  if (topology !== actual) {
    problems.push(
      topology === "management"
        ? `OAL_TOPOLOGY=management, but the deploying account ${account.accountId} is not the management account ` +
            `${account.managementAccountId}: deploy with the management account's credentials, or unset OAL_TOPOLOGY`
        : `OAL_TOPOLOGY=delegated-admin, but the deploying account ${account.accountId} is the management account: ` +
            "deploy with the delegated administrator account's credentials, or unset OAL_TOPOLOGY",
    );
  }
  const organizationsEvents =
    parameters.organizationsEvents ?? (topology === "management" ? "forward" : "external");
  if (organizationsEvents === "forward" && actual !== "management") {
    problems.push(
      `OAL_ORGANIZATIONS_EVENTS=forward needs the stack in the management account (${account.managementAccountId}): ` +
        "Organizations events reach EventBridge only there, in us-east-1. Set OAL_ORGANIZATIONS_EVENTS=external " +
        '(and create the forwarding rule in the management account: docs/deploy.md, "What starts an estate run") ' +
        "or off, or unset it (a delegated administrator then defaults to external)",
    );
  }
  if (account.scpEnabled === false) {
    const root = account.rootId ?? "<root-id>";
    problems.push(
      `service control policies are not enabled on the organization's root ${root}: the revocation SCP slots ` +
        "cannot be attached. From the management account: aws organizations enable-policy-type " +
        `--root-id ${root} --policy-type SERVICE_CONTROL_POLICY`,
    );
  }
  if (problems.length > 0) {
    throw new DeploymentParameterError(
      `this deployment cannot work in account ${account.accountId} (docs/deploy.md, "Which account"):\n` +
        problems.map((p) => `  ${p}`).join("\n"),
    );
  }
  if (topology === "management") return { topology, organizationsEvents };
  const roleName = managementComponentRoleName(names);
  return {
    topology,
    organizationsEvents,
    managementComponent: {
      roleName,
      rolePath: names.rolePath,
      roleArn: `arn:${account.partition}:iam::${account.managementAccountId}:role${names.rolePath}${roleName}`,
      // Not a secret (AWS: the external id guards against a confused deputy); per deployment by default.
      externalId: parameters.managementExternalId ?? `${names.prefix}-${account.accountId}`,
      pipelineAccountId: account.accountId,
    },
  };
}
