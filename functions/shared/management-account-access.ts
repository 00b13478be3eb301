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
 * Where the STS and Identity Center clients connect, and as whom the role is assumed. The local stack
 * points them at its gateway and signs as the delegated administrator account's key.
 * @default AWS's endpoints and the function's own role (the default credential chain)
 */
export interface ManagementConnection {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/**
 * How the Deny tasks reach the management account in AWS. delegated-admin: sts:AssumeRole of the
 * management component with the external id, the session named after the run; the credentials are
 * fetched at once, so a component that is not installed is known before any write.
 */
export function managementAccountAccess(
  env: TopologyEnv,
  ids: { instanceArn: string; identityStoreId: string },
  connection: ManagementConnection = {},
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
      const { endpoint, region } = connection;
      const where = { ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}) };
      const credentials = fromTemporaryCredentials({
        ...(connection.credentials ? { masterCredentials: connection.credentials } : {}),
        clientConfig: where,
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
        ssoAdmin: new SSOAdminClient({ ...where, credentials, maxAttempts: 5 }),
        identityStore: new IdentitystoreClient({ ...where, credentials }),
        ...ids,
      });
    },
  };
}
