import type { DenyLedger } from "../../adapters/deny-ledger.ts";
import { accountRoles } from "../../core/credentials/account-roles.ts";
import { errorText } from "../../core/error-text.ts";
import type { CredentialsPolicySection } from "../../core/policy/credentials-policy.ts";
import type { CredentialRevocationPort } from "../../core/ports.ts";
import { isTransient } from "../shared/dependency-unavailable.ts";
import { type EnforceDeniesDeps, enforceDenies } from "./enforce-denies.ts";
import type { CredentialRunRecord } from "./revoke-credentials.ts";
import type { RunScratch } from "./run-scratch.ts";
import type { UserRunState } from "./run-state.ts";

export interface LiftCredentialDeniesDeps {
  credentials: CredentialsPolicySection | undefined;
  revocation: CredentialRevocationPort;
  ledger: DenyLedger;
  enforce: EnforceDeniesDeps;
  scratch: RunScratch;
  now: () => string;
}

/** What the lift did: each role Deny removed or why not (a finding; the next lift of that role retries). */
export interface CredentialLift {
  liftedAt: string;
  lifted: {
    accountId: string;
    roleName: string;
    policyName: string;
    status: "SUCCEEDED" | "FAILED";
    error?: string;
  }[];
}

/**
 * Task LiftCredentialDenies: after the hold, removes this run's federated-sessions Denies from the
 * ledger (the SCPs are re-rendered without them) and deletes the inline Deny it put on each
 * Okta-trusting role. The IAM users' inline Deny stays: the users belong to a leaver.
 */
export function liftCredentialDenies(deps: LiftCredentialDeniesDeps) {
  return async (state: UserRunState): Promise<CredentialLift | { skipped: string }> => {
    const summary = state.credentials;
    const { credentials } = deps;
    if (credentials === undefined || summary?.scratchKey === undefined || summary.liftAt === undefined)
      return { skipped: "no credential Deny to lift" };
    for (const denyId of summary.denyIds) await deps.ledger.remove(denyId);
    if (summary.denyIds.length > 0)
      await enforceDenies(deps.enforce, { runId: state.runId, ledgerSeq: await deps.ledger.advance() });
    const record = await deps.scratch.get<CredentialRunRecord>(summary.scratchKey);
    const lifted: CredentialLift["lifted"] = [];
    for (const deny of record.roleDenies) {
      const known = record.accounts.find((a) => a.accountId === deny.accountId);
      const account = {
        accountId: deny.accountId,
        name: known?.name ?? deny.accountId,
        inOrganization: known?.inOrganization ?? true,
        roles: accountRoles(credentials, deny.accountId),
      };
      try {
        await deps.revocation.liftRoleDeny(account, deny.roleName, deny.policyName, { runId: state.runId });
        lifted.push({ ...withoutLiftAt(deny), status: "SUCCEEDED" });
      } catch (error) {
        if (isTransient(error)) throw error;
        lifted.push({
          ...withoutLiftAt(deny),
          status: "FAILED",
          error: errorText(error),
        });
      }
    }
    return { liftedAt: deps.now(), lifted };
  };
}

const withoutLiftAt = ({ accountId, roleName, policyName }: CredentialRunRecord["roleDenies"][number]) => ({
  accountId,
  roleName,
  policyName,
});
