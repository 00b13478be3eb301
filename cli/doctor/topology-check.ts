import { DescribeOrganizationCommand, type OrganizationsClient } from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { type Topology, topologyOf } from "../../core/topology.ts";
import { type CheckResult, guarded, ok, problem } from "./check.ts";

/** The management component a delegated-admin deployment assumes (`sst deploy` outputs, infra/topology.ts). */
export interface ManagementComponentOutputs {
  roleArn: string;
  externalId: string;
  /** The template's RoleName and RolePath parameters (for the deploy command). */
  roleName?: string;
  rolePath?: string;
}

export interface TopologyTarget {
  /** With the credentials the stack runs with (its account). */
  sts: STSClient;
  organizations: OrganizationsClient;
  /** What the deployment recorded (`topology` output); unset: not checked against the account. */
  deployed?: Topology;
  /** delegated-admin: the component from the outputs. */
  component?: ManagementComponentOutputs;
  /** The Identity Center instance (`arn:aws:sso:::instance/ssoins-...`), for the deploy command. */
  instanceArn?: string;
}

const CHECK = "Topology";

/** The one command that deploys the management component (docs/deploy.md, "Topologies"). */
export function managementComponentDeployCommand(
  pipelineAccountId: string,
  component: ManagementComponentOutputs,
  instanceArn: string | undefined,
): string {
  const roleName =
    component.roleName ?? component.roleArn.split("/").pop() ?? "<managementComponentRoleName>";
  const rolePath =
    component.rolePath ?? component.roleArn.replace(/^arn:[^:]+:iam::\d+:role/, "").replace(/[^/]*$/, "");
  const instanceId = instanceArn?.split("/").pop() ?? "<ssoins-... from instanceArn>";
  // docs/deploy.md names the CloudFormation stack after the role.
  const stackName = roleName;
  return (
    "with management-account credentials: aws cloudformation deploy " +
    `--stack-name ${stackName} --template-file infra/templates/management-component.json ` +
    "--capabilities CAPABILITY_NAMED_IAM --parameter-overrides " +
    `PipelineAccountId=${pipelineAccountId} RoleName=${roleName} RolePath=${rolePath} ` +
    `ExternalId=${component.externalId} InstanceId=${instanceId}`
  );
}

/**
 * Which account the stack is in against the organization's management account (core/topology.ts), and
 * in delegated-admin that the management component can be assumed with the deployment's external id.
 * STS answers AccessDenied alike for a missing role and for one whose trust does not admit the caller
 * (STS API reference, AssumeRole), so a refusal names both causes: the component's trust admits only
 * the pipeline's roles (infra/templates/management-component.json), so run this with such a role, or
 * check from the management account that the role exists.
 */
export function checkTopology(target: TopologyTarget): Promise<CheckResult> {
  return guarded(
    CHECK,
    "run with the credentials of the account the stack is deployed in (organizations:DescribeOrganization works from any account of the organization)",
    async () => {
      const { Account: accountId } = await target.sts.send(new GetCallerIdentityCommand({}));
      const { Organization } = await target.organizations.send(new DescribeOrganizationCommand({}));
      const managementAccountId = Organization?.MasterAccountId;
      if (accountId === undefined || managementAccountId === undefined)
        return problem(
          CHECK,
          "the account or the organization's management account is not visible",
          "run inside an AWS Organization",
        );
      const actual = topologyOf(accountId, managementAccountId);
      if (target.deployed !== undefined && target.deployed !== actual) {
        return problem(
          CHECK,
          `the stack was deployed as ${target.deployed}, but these credentials are in ${accountId} (${actual}; management account ${managementAccountId})`,
          "run the doctor with the credentials of the account the stack is deployed in",
        );
      }
      if (actual === "management") {
        return ok(CHECK, `management account ${accountId}: the stack changes the management account itself`);
      }
      const where = `delegated administrator ${accountId} (management account ${managementAccountId})`;
      if (target.component === undefined) {
        return problem(
          CHECK,
          `${where}, but no management component is known (managementComponentRoleArn missing from the deploy outputs)`,
          "redeploy with npx sst deploy from this account: it prints managementComponentRoleArn and managementComponentExternalId",
        );
      }
      const { roleArn, externalId } = target.component;
      try {
        await target.sts.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            ExternalId: externalId,
            RoleSessionName: "oal-doctor",
            DurationSeconds: 900,
          }),
        );
      } catch (error) {
        const e = error as Error;
        return problem(
          CHECK,
          `${where}: cannot assume the management component ${roleArn} with external id ${externalId} (${e.name}): ` +
            "it is not deployed, or its trust does not admit these credentials (only the pipeline's roles); " +
            "until it is, leaver runs skip the management-account Deny (deny-placement-skipped, DenyPlacementsSkipped alarm)",
          managementComponentDeployCommand(accountId, target.component, target.instanceArn),
        );
      }
      return ok(CHECK, `${where}; management component ${roleArn} assumed with the external id`);
    },
  );
}
