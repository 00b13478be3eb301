import type { DenyLedger } from "../../adapters/deny-ledger.ts";
import type { LeaseLock } from "../../adapters/lease-lock.ts";
import type { DenyEntry } from "../../core/estate.ts";
import { denyInForce } from "../../core/plan/deny-key.ts";
import type { IdentityCenterUserPort, RevocationScpPort } from "../../core/ports.ts";
import { denyStatements } from "../../core/revocation/deny-statements.ts";
import { mergeInlineDeny } from "../../core/revocation/merge-inline-deny.ts";
import type { Reprovision } from "./run-state.ts";

export interface EnforceDeniesDeps {
  ledger: DenyLedger;
  /** Serializes the revocation writers of concurrent runs (the `revocation` lease). */
  lock: LeaseLock;
  scps: RevocationScpPort;
  identityCenter: IdentityCenterUserPort;
  instanceArn: string;
  /** SCPs never apply to the management account, so its permission sets carry the Denies inline. */
  managementAccountId: string | undefined;
  now: () => string;
}

/**
 * Renders the ledger's Denies in force into the revocation SCPs (sharded) and into the inline
 * policy of every permission set provisioned to the management account, and returns the
 * re-provisions that put the inline change in force. Denies the SCPs cannot hold (the target's
 * 5-SCP limit) go inline too. Used both to add and to lift a Deny: the result is always the ledger.
 */
export async function enforceDenies(deps: EnforceDeniesDeps) {
  // Runs for different users enforce at the same time and each writes the whole set: the lease keeps
  // one writer at a time, and each writer renders the ledger it reads under the lease, so it holds
  // every Deny recorded before it (a run records its Deny before enforcing). Within the lease, write
  // again if the ledger changed meanwhile: a run may have recorded a Deny while this one wrote.
  return deps.lock.withLease("revocation", () => enforceUnderLease(deps));
}

async function enforceUnderLease(deps: EnforceDeniesDeps) {
  let written = "";
  let result = { scpPolicyIds: [] as string[], overflow: 0, reprovisions: [] as Reprovision[] };
  for (let round = 0; round < 5; round++) {
    const now = deps.now();
    const inForce = (await deps.ledger.list()).map((l) => l.deny).filter((d) => denyInForce(d, now));
    const key = JSON.stringify(inForce);
    if (key === written) break;
    const pass = await writeDenies(deps, inForce);
    result = {
      scpPolicyIds: pass.scpPolicyIds,
      overflow: pass.overflow,
      reprovisions: dedupe([...result.reprovisions, ...pass.reprovisions]),
    };
    written = key;
  }
  return { ...result, at: deps.now() };
}

function dedupe(reprovisions: Reprovision[]): Reprovision[] {
  return [...new Map(reprovisions.map((r) => [`${r.PermissionSetArn}|${r.TargetId}`, r])).values()];
}

async function writeDenies(deps: EnforceDeniesDeps, inForce: DenyEntry[]) {
  const scp = await deps.scps.writeRevocationScps(inForce);
  const reprovisions: Reprovision[] = [];
  if (deps.managementAccountId !== undefined) {
    const provisioned = await deps.identityCenter.listProvisionedPermissionSets(deps.managementAccountId);
    const statements = denyStatements(inForce);
    for (const { permissionSetArn } of provisioned) {
      const current = await deps.identityCenter.getInlinePolicy(permissionSetArn);
      const next = mergeInlineDeny(current, statements);
      if (next === current) continue;
      if (next === null) await deps.identityCenter.deleteInlinePolicy(permissionSetArn);
      else await deps.identityCenter.putInlinePolicy(permissionSetArn, next);
      reprovisions.push({
        InstanceArn: deps.instanceArn,
        PermissionSetArn: permissionSetArn,
        TargetId: deps.managementAccountId,
        TargetType: "AWS_ACCOUNT",
      });
    }
  }
  return { scpPolicyIds: scp.policyIds, overflow: scp.overflow.length, reprovisions };
}
