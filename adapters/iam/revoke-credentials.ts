import {
  DeactivateMFADeviceCommand,
  DeleteLoginProfileCommand,
  DeleteRolePolicyCommand,
  GetLoginProfileCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  type IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from "@aws-sdk/client-iam";
import type { CredentialAction } from "../../core/credentials/credential-action.ts";
import { errorText } from "../../core/error-text.ts";
import type { CredentialAccount, CredentialRevocationPort } from "../../core/ports.ts";
import type { MemberAccountSessions } from "./member-account-sessions.ts";
import { type IamConnection, memberIamClient } from "./member-iam-client.ts";

/*
 * The IAM writes that end a leaver's credentials (IAM API Reference: PutUserPolicy, UpdateAccessKey,
 * DeleteLoginProfile, DeactivateMFADevice, PutRolePolicy, DeleteRolePolicy), made through the
 * account's revocation role, each read back (GetUserPolicy, ListAccessKeys, GetLoginProfile,
 * ListMFADevices, GetRolePolicy) before it counts as SUCCEEDED. `NoSuchEntity` on a delete or
 * deactivation means the credential is already gone: done, not failed (a retried run converges).
 */

/** An IAM client acting in `account` through its revocation role, the session named after the run. */
export type RevocationClientFactory = (account: CredentialAccount, runId: string) => Promise<IAMClient>;

/**
 * Revocation-role clients from the sessions discovery also uses (member-iam-client.ts), with 5 tries
 * unless `connection` says otherwise.
 */
export function revocationClients(
  sessions: MemberAccountSessions,
  connection: IamConnection = {},
): RevocationClientFactory {
  return (account, runId) =>
    memberIamClient(
      sessions,
      { ...connection, maxAttempts: connection.maxAttempts ?? 5 },
      account,
      "revocation",
      runId,
    );
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
 * result and the others still run; only a role that cannot be assumed throws (AssumeMemberRoleError),
 * as nothing in that account can be changed.
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
        results.push({
          action,
          status: "FAILED",
          error: errorText(error),
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
