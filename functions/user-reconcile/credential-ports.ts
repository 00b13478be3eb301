import type { STSClient } from "@aws-sdk/client-sts";
import { accountProblem } from "../../adapters/iam/account-problem.ts";
import { IamCredentialDiscovery } from "../../adapters/iam/iam-credential-discovery.ts";
import { MemberAccountSessions } from "../../adapters/iam/member-account-sessions.ts";
import { IamCredentialRevocation, revocationClients } from "../../adapters/iam/revoke-credentials.ts";
import type { CredentialProver } from "../../usecases/reconcile-user/credential-checks.ts";
import type { CredentialPorts } from "../../usecases/reconcile-user/tasks.ts";

/**
 * The credential tasks' adapters (issue 16): discovery and revocation share one set of member-account
 * sessions (one AssumeRole per account, role and run), an account that fails becomes its finding
 * (adapters/iam/account-problem.ts). The local stack passes its gateway as the connection.
 */
export function credentialPorts(options: {
  sts: STSClient;
  organization: CredentialPorts["organization"];
  listUsers: CredentialPorts["listUsers"];
  assignedApps?: CredentialPorts["assignedApps"];
  connection?: { endpoint?: string; region?: string; maxAttempts?: number };
  prover?: CredentialProver;
}): CredentialPorts {
  const sessions = new MemberAccountSessions({ sts: options.sts });
  const connection = options.connection ?? {};
  return {
    discovery: new IamCredentialDiscovery({ sessions, connection }),
    revocation: new IamCredentialRevocation(revocationClients(sessions, connection)),
    organization: options.organization,
    listUsers: options.listUsers,
    ...(options.assignedApps ? { assignedApps: options.assignedApps } : {}),
    describeProblem: accountProblem,
    ...(options.prover ? { prover: options.prover } : {}),
  };
}
