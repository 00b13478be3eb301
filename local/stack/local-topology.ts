/**
 * Where the local stack runs in its organization (core/topology.ts), set up on the emulators the way a
 * deployment finds AWS:
 * - `management`: the stack signs as the management account (the IAM emulator's "local" key) and may
 *   change everything.
 * - `delegated-admin`: the stack signs with an IAM user's access key in another account of the
 *   organization, the delegated administrator; Identity Center refuses its changes in the management
 *   account (identity-center/delegated-administration.ts). The management component is a role in the
 *   management account, named and trusted as infra/topology.ts and infra/templates/management-component.json
 *   make it (trust: the pipeline account presenting the external id; locally the account's root, as
 *   the caller is a user rather than the deployed functions' roles under the stack's role path). The
 *   Deny tasks assume it through the IAM and STS emulator, as deployed (functions/shared/management-account-access.ts).
 *   Without it (`managementComponent: false`) the assumption fails as it does in AWS (AccessDenied).
 * The component's permissions policy is not modelled: Identity Center accepts any call signed by the
 * management account.
 */
import type { Topology } from "../../core/topology.ts";
import { resourceNames } from "../../infra/names.ts";
import { managementComponentRoleName } from "../../infra/topology.ts";
import type { IamEmulator } from "../emulators/iam/index.ts";

/** The stage name the local stack's resource names are made with (as `sst deploy --stage local`). */
const LOCAL_NAMES = resourceNames("okta-aws-lifecycle", "local");

export interface LocalTopologyOptions {
  topology: Topology;
  managementAccountId: string;
  /** delegated-admin: the account the stack runs in. */
  delegatedAdminAccountId: string;
  /** delegated-admin: whether the management component's role exists in the management account. */
  managementComponent: boolean;
}

export interface LocalTopology {
  topology: Topology;
  /** The account the stack's functions and tasks act from. */
  accountId: string;
  /** What the stack's clients sign with. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** delegated-admin: the component the Deny tasks assume (present whether or not it is installed). */
  component?: { roleArn: string; externalId: string; installed: boolean };
}

/** The management identity's key of the IAM emulator (iam/index.ts, managementAccessKeyIds). */
export const LOCAL_MANAGEMENT_KEY = { accessKeyId: "local", secretAccessKey: "local" };

export function setUpLocalTopology(iam: IamEmulator, options: LocalTopologyOptions): LocalTopology {
  if (options.topology === "management") {
    return {
      topology: "management",
      accountId: options.managementAccountId,
      credentials: LOCAL_MANAGEMENT_KEY,
    };
  }
  const accountId = options.delegatedAdminAccountId;
  const userName = `${LOCAL_NAMES.prefix}-pipeline`;
  iam.seed.user({ accountId, name: userName, path: LOCAL_NAMES.rolePath });
  const credentials = iam.seed.accessKey({ accountId, userName });
  const roleName = managementComponentRoleName(LOCAL_NAMES);
  const roleArn = `arn:aws:iam::${options.managementAccountId}:role${LOCAL_NAMES.rolePath}${roleName}`;
  // infra/topology.ts: the default external id is `<prefix>-<stack account>`.
  const externalId = `${LOCAL_NAMES.prefix}-${accountId}`;
  if (options.managementComponent) {
    iam.seed.role({
      accountId: options.managementAccountId,
      name: roleName,
      path: LOCAL_NAMES.rolePath,
      description: "okta-aws-lifecycle management component (local stand-in)",
      trustPolicy: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${accountId}:root` },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "sts:ExternalId": externalId } },
          },
        ],
      },
    });
  }
  return {
    topology: "delegated-admin",
    accountId,
    credentials,
    component: { roleArn, externalId, installed: options.managementComponent },
  };
}
