import { IAMClient } from "@aws-sdk/client-iam";
import type { CredentialAccount } from "../../core/ports.ts";
import type { MemberAccountSessions } from "./member-account-sessions.ts";

/** Where member-account IAM clients connect (the local stack: its gateway), and their retries. */
export interface IamConnection {
  endpoint?: string;
  /** @default "us-east-1" (IAM is global; its endpoint answers there) */
  region?: string;
  /** @default the SDK's */
  maxAttempts?: number;
}

/**
 * An IAM client acting in `account` through one of its member roles, the session named after the run
 * (member-account-sessions.ts: one AssumeRole per account, role and run, with the account's external
 * id). A role it cannot assume throws AssumeMemberRoleError, which account-problem.ts turns into the
 * account's finding. The caller destroys the client.
 */
export async function memberIamClient(
  sessions: MemberAccountSessions,
  connection: IamConnection,
  account: CredentialAccount,
  role: "discovery" | "revocation",
  runId: string,
): Promise<IAMClient> {
  const credentials = await sessions.credentials({
    accountId: account.accountId,
    roleName: account.roles[role],
    externalId: account.roles.externalId,
    runId,
  });
  const { endpoint, region, maxAttempts } = connection;
  return new IAMClient({
    region: region ?? "us-east-1",
    credentials,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
  });
}
