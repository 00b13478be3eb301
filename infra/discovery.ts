/**
 * Identity Center and Organizations facts the stack needs, taken from the parameters when given and
 * otherwise discovered at deploy time with read-only calls of the deploying credentials:
 * - instance ARN and identity store id: `sso:ListInstances` (fails unless exactly one instance);
 * - management account id and organization id: `organizations:DescribeOrganization` (works from any
 *   account of the organization, the delegated administrator included).
 */
import type { DeploymentParameters } from "./parameters.ts";

/** Thrown at deploy time when discovery cannot decide (no instance, or several). */
export class DiscoveryError extends Error {
  override name = "DiscoveryError";
}

export function discoverFacts(parameters: DeploymentParameters) {
  const identityCenter = parameters.identityCenter
    ? $output(parameters.identityCenter)
    : aws.ssoadmin.getInstancesOutput({}).apply((found) => {
        const [instanceArn] = found.arns;
        const [identityStoreId] = found.identityStoreIds;
        if (found.arns.length !== 1 || instanceArn === undefined || identityStoreId === undefined) {
          throw new DiscoveryError(
            `found ${found.arns.length} IAM Identity Center instances in ${found.region}: deploy in the ` +
              "instance's home region (OAL_HOME_REGION) or set OAL_INSTANCE_ARN and OAL_IDENTITY_STORE_ID",
          );
        }
        return { instanceArn, identityStoreId };
      });
  const organization =
    parameters.managementAccountId && parameters.organizationId
      ? $output({
          managementAccountId: parameters.managementAccountId,
          organizationId: parameters.organizationId,
        })
      : aws.organizations.getOrganizationOutput({ returnOrganizationOnly: true }).apply((org) => ({
          managementAccountId: parameters.managementAccountId ?? org.masterAccountId,
          organizationId: parameters.organizationId ?? org.id,
        }));
  return {
    identityCenter,
    organization,
    accountId: aws.getCallerIdentityOutput({}).accountId,
    region: aws.getRegionOutput({}).region,
    partition: aws.getPartitionOutput({}).partition,
  };
}

export type DiscoveredFacts = ReturnType<typeof discoverFacts>;
