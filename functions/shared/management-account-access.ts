import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { z } from "zod";
import { IdentityCenterAdapter } from "../../adapters/identity-center.ts";
import { managementSessionName, TOPOLOGIES, type Topology } from "../../core/topology.ts";
import {
  type ManagementAccountAccess,
  ManagementComponentUnavailableError,
} from "../../usecases/reconcile-user/management-account-access.ts";

/**
 * The topology variables infra/user-reconcile.ts sets: `TOPOLOGY`, and for `delegated-admin` the
 * management component's role and external id (infra/topology.ts).
 */
export const topologyEnvFields = {
  TOPOLOGY: z.enum(TOPOLOGIES, "management or delegated-admin (infra/topology.ts)"),
  /** delegated-admin only; empty otherwise (infra/user-reconcile.ts). */
  MANAGEMENT_ROLE_ARN: z.string().optional(),
  MANAGEMENT_EXTERNAL_ID: z.string().optional(),
};
interface TopologyEnv {
  TOPOLOGY: Topology;
  MANAGEMENT_ROLE_ARN?: string | undefined;
  MANAGEMENT_EXTERNAL_ID?: string | undefined;
}

/** Thrown at cold start when TOPOLOGY=delegated-admin comes without the component's role or external id. */
export class TopologyConfigError extends Error {
  override name = "TopologyConfigError";
}

/**
 * How the Deny tasks reach the management account in AWS. delegated-admin: sts:AssumeRole of the
 * management component with the external id, the session named after the run; the credentials are
 * fetched at once, so a component that is not installed is known before any write.
 */
export function managementAccountAccess(
  env: TopologyEnv,
  ids: { instanceArn: string; identityStoreId: string },
): ManagementAccountAccess {
  if (env.TOPOLOGY === "management") return { kind: "direct" };
  const roleArn = env.MANAGEMENT_ROLE_ARN ?? "";
  if (!roleArn.startsWith("arn:") || !env.MANAGEMENT_EXTERNAL_ID) {
    throw new TopologyConfigError(
      "TOPOLOGY=delegated-admin needs MANAGEMENT_ROLE_ARN (arn:aws:iam::<management>:role/...) and " +
        "MANAGEMENT_EXTERNAL_ID (infra/user-reconcile.ts sets both from infra/topology.ts)",
    );
  }
  return {
    kind: "component",
    roleArn,
    async connect(runId) {
      const credentials = fromTemporaryCredentials({
        params: {
          RoleArn: roleArn,
          ExternalId: env.MANAGEMENT_EXTERNAL_ID,
          RoleSessionName: managementSessionName(runId),
          DurationSeconds: 900,
        },
      });
      try {
        await credentials();
      } catch (error) {
        throw new ManagementComponentUnavailableError(roleArn, { cause: error });
      }
      return new IdentityCenterAdapter({
        ssoAdmin: new SSOAdminClient({ credentials, maxAttempts: 5 }),
        identityStore: new IdentitystoreClient({ credentials }),
        ...ids,
      });
    },
  };
}
