import {
  DeactivateMFADeviceCommand,
  DeleteLoginProfileCommand,
  DeleteRolePolicyCommand,
  GetLoginProfileCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from "@aws-sdk/client-iam";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { CredentialAction } from "../../core/credentials/credential-action.ts";
import type { CredentialAccount, CredentialRevocationPort } from "../../core/ports.ts";
import { managementSessionName } from "../../core/topology.ts";

/*
 * The IAM writes that end a leaver's credentials (IAM API Reference: PutUserPolicy, UpdateAccessKey,
 * DeleteLoginProfile, DeactivateMFADevice, PutRolePolicy, DeleteRolePolicy), made through the
 * account's revocation role, each read back (GetUserPolicy, ListAccessKeys, GetLoginProfile,
 * ListMFADevices, GetRolePolicy) before it counts as SUCCEEDED. `NoSuchEntity` on a delete or
 * deactivation means the credential is already gone: done, not failed (a retried run converges).
 */

/** Where STS and IAM are reached, and as whom roles are assumed. @default AWS's endpoints, the default chain */
export interface IamConnection {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** @default aws */
  partition?: string;
}

/** The account's revocation role could not be assumed: nothing was changed there. */
export class RevocationRoleUnavailableError extends Error {
  override name = "RevocationRoleUnavailableError";
  readonly accountId: string;
  readonly roleArn: string;
  constructor(accountId: string, roleArn: string, options: { cause: unknown }) {
    const cause = options.cause as { name?: string; message?: string };
    super(
      `cannot assume ${roleArn} in account ${accountId} (${cause.name ?? "Error"}: ${cause.message ?? String(cause)})`,
      options,
    );
    this.accountId = accountId;
    this.roleArn = roleArn;
  }
}

/** An IAM client acting in `account` through its revocation role, the session named after the run. */
export type RevocationClientFactory = (account: CredentialAccount, runId: string) => Promise<IAMClient>;

/** Assumes the revocation role (with the account's external id) and fetches the credentials at once. */
export function assumeRevocationRole(connection: IamConnection = {}): RevocationClientFactory {
  const { endpoint, region } = connection;
  const where = { ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}) };
  return async (account, runId) => {
    const roleArn = `arn:${connection.partition ?? "aws"}:iam::${account.accountId}:role/${account.roles.revocation}`;
    const credentials = fromTemporaryCredentials({
      ...(connection.credentials ? { masterCredentials: connection.credentials } : {}),
      clientConfig: where,
      params: {
        RoleArn: roleArn,
        RoleSessionName: managementSessionName(runId),
        DurationSeconds: 900,
        ...(account.roles.externalId ? { ExternalId: account.roles.externalId } : {}),
      },
    });
    try {
      await credentials();
    } catch (error) {
      throw new RevocationRoleUnavailableError(account.accountId, roleArn, { cause: error });
    }
    return new IAMClient({ ...where, credentials, maxAttempts: 5 });
  };
}

type ApplyResult = Awaited<ReturnType<CredentialRevocationPort["apply"]>>[number];

const isNoSuchEntity = (error: unknown) => (error as { name?: string }).name === "NoSuchEntityException";

const sameDocument = (stored: string | undefined, expected: string) => {
  try {
    return (
      JSON.stringify(JSON.parse(decodeURIComponent(stored ?? ""))) === JSON.stringify(JSON.parse(expected))
    );
  } catch {
    return false;
  }
};

/**
 * CredentialRevocationPort over `@aws-sdk/client-iam`. One action failing is that action's FAILED
 * result and the others still run; only a role that cannot be assumed throws
 * (RevocationRoleUnavailableError), as nothing in that account can be changed.
 */
export class IamCredentialRevocation implements CredentialRevocationPort {
  private readonly clientFor: RevocationClientFactory;
  constructor(clientFor: RevocationClientFactory) {
    this.clientFor = clientFor;
  }

  async apply(
    account: CredentialAccount,
    actions: readonly CredentialAction[],
    context: { runId: string },
  ): Promise<ApplyResult[]> {
    const iamActions = actions.filter((a) => a.kind !== "federated-deny.scp");
    if (iamActions.length === 0) return [];
    const iam = await this.clientFor(account, context.runId);
    const results: ApplyResult[] = [];
    // In order: the Denies first, so the user is stopped before anything else changes.
    for (const action of iamActions) {
      try {
        const verified = await applyAndReadBack(iam, action);
        results.push(
          verified
            ? { action, status: "SUCCEEDED" }
            : { action, status: "FAILED", error: "the read-back does not show the change" },
        );
      } catch (error) {
        const e = error as { name?: string; message?: string };
        results.push({
          action,
          status: "FAILED",
          error: `${e.name ?? "Error"}: ${e.message ?? String(error)}`,
        });
      }
    }
    return results;
  }

  async liftRoleDeny(
    account: CredentialAccount,
    roleName: string,
    policyName: string,
    context: { runId: string },
  ): Promise<void> {
    const iam = await this.clientFor(account, context.runId);
    try {
      await iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }));
    } catch (error) {
      if (!isNoSuchEntity(error)) throw error;
    }
  }
}

/** Makes one change and reads it back: true when the read shows it in place. */
async function applyAndReadBack(iam: IAMClient, action: CredentialAction): Promise<boolean> {
  switch (action.kind) {
    case "iam-user.deny": {
      const { userName: UserName, policyName: PolicyName, policyDocument } = action;
      await iam.send(new PutUserPolicyCommand({ UserName, PolicyName, PolicyDocument: policyDocument }));
      const read = await iam.send(new GetUserPolicyCommand({ UserName, PolicyName }));
      return sameDocument(read.PolicyDocument, policyDocument);
    }
    case "access-key.deactivate": {
      const { userName: UserName, accessKeyId: AccessKeyId } = action;
      await iam.send(new UpdateAccessKeyCommand({ UserName, AccessKeyId, Status: "Inactive" }));
      // ListAccessKeys returns at most 2 keys per user (IAM quota), one page.
      const read = await iam.send(new ListAccessKeysCommand({ UserName }));
      const key = read.AccessKeyMetadata?.find((k) => k.AccessKeyId === AccessKeyId);
      return key === undefined || key.Status !== "Active";
    }
    case "login-profile.delete": {
      const { userName: UserName } = action;
      await ignoreNoSuchEntity(iam.send(new DeleteLoginProfileCommand({ UserName })));
      try {
        await iam.send(new GetLoginProfileCommand({ UserName }));
        return false;
      } catch (error) {
        if (isNoSuchEntity(error)) return true;
        throw error;
      }
    }
    case "mfa-device.deactivate": {
      const { userName: UserName, serialNumber: SerialNumber } = action;
      await ignoreNoSuchEntity(iam.send(new DeactivateMFADeviceCommand({ UserName, SerialNumber })));
      const read = await iam.send(new ListMFADevicesCommand({ UserName }));
      return !(read.MFADevices ?? []).some((d) => d.SerialNumber === SerialNumber);
    }
    case "federated-deny.role": {
      const { roleName: RoleName, policyName: PolicyName, policyDocument } = action;
      await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument: policyDocument }));
      const read = await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }));
      return sameDocument(read.PolicyDocument, policyDocument);
    }
    case "federated-deny.scp":
      return false;
  }
}

async function ignoreNoSuchEntity(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!isNoSuchEntity(error)) throw error;
  }
}
