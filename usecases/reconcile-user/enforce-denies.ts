import type { DenyLedger } from "../../adapters/deny-ledger.ts";
import type { LeaseLock } from "../../adapters/lease-lock.ts";
import type { DenyEntry } from "../../core/estate.ts";
import { denyInForce } from "../../core/plan/deny-key.ts";
import type { IdentityCenterUserPort, RevocationScpPort } from "../../core/ports.ts";
import { fitInlineDenies } from "../../core/revocation/fit-inline-denies.ts";
import { isTransient } from "../shared/dependency-unavailable.ts";
import type { DroppedDeny, PlacementFailure, Reprovision } from "./run-state.ts";

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
 * policy of every permission set provisioned to the management account (each set gets the Denies
 * that concern it, by priority: core/revocation/fit-inline-denies.ts), and returns the re-provisions
 * that put the inline change in force, with what could not be placed. Used both to add and to lift a
 * Deny: the result is always the ledger.
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
  let result: Pass = { scpPolicyIds: [], overflow: 0, reprovisions: [], failures: [], dropped: [] };
  for (let round = 0; round < 5; round++) {
    const now = deps.now();
    const inForce = (await deps.ledger.list()).map((l) => l.deny).filter((d) => denyInForce(d, now));
    const key = JSON.stringify(inForce);
    if (key === written) break;
    const pass = await writeDenies(deps, inForce);
    result = { ...pass, reprovisions: dedupe([...result.reprovisions, ...pass.reprovisions]) };
    written = key;
  }
  return { ...result, at: deps.now() };
}

function dedupe(reprovisions: Reprovision[]): Reprovision[] {
  return [...new Map(reprovisions.map((r) => [`${r.PermissionSetArn}|${r.TargetId}`, r])).values()];
}

/** What one write of the ledger achieved, and what it could not place. */
interface Pass {
  scpPolicyIds: string[];
  overflow: number;
  reprovisions: Reprovision[];
  failures: PlacementFailure[];
  dropped: DroppedDeny[];
}

/**
 * Writes the Denies in force into the SCPs and the management account's inline policies. One
 * placement failing (a refused write, a policy that cannot be merged) never stops the others: it is
 * reported, and the run goes on to remove access, verify and write evidence. A transient failure is
 * rethrown so the workflow retries the whole (idempotent) write.
 */
async function writeDenies(deps: EnforceDeniesDeps, inForce: DenyEntry[]): Promise<Pass> {
  const pass: Pass = { scpPolicyIds: [], overflow: 0, reprovisions: [], failures: [], dropped: [] };
  await placeOrReport(pass, "scp", "revocation SCPs", async () => {
    const scp = await deps.scps.writeRevocationScps(inForce);
    pass.scpPolicyIds = scp.policyIds;
    pass.overflow = scp.overflow.length;
  });
  const accountId = deps.managementAccountId;
  if (accountId === undefined) return pass;
  const [provisioned, permissionSets] = await Promise.all([
    deps.identityCenter.listProvisionedPermissionSets(accountId),
    deps.identityCenter.listPermissionSets(),
  ]);
  const names = new Map(permissionSets.map((p) => [p.arn, p.name]));
  for (const { permissionSetArn } of provisioned) {
    await placeOrReport(pass, "inline", permissionSetArn, async () => {
      const current = await deps.identityCenter.getInlinePolicy(permissionSetArn);
      const permissionSetName = names.get(permissionSetArn) ?? permissionSetArn;
      const fit = fitInlineDenies(current, inForce, { permissionSetName, accountId });
      for (const deny of fit.dropped)
        pass.dropped.push({ placement: "inline", target: permissionSetArn, deny });
      if (fit.document === current) return;
      if (fit.document === null) await deps.identityCenter.deleteInlinePolicy(permissionSetArn);
      else await deps.identityCenter.putInlinePolicy(permissionSetArn, fit.document);
      pass.reprovisions.push({
        InstanceArn: deps.instanceArn,
        PermissionSetArn: permissionSetArn,
        TargetId: accountId,
        TargetType: "AWS_ACCOUNT",
      });
    });
  }
  return pass;
}

async function placeOrReport(
  pass: Pass,
  placement: PlacementFailure["placement"],
  target: string,
  place: () => Promise<void>,
): Promise<void> {
  try {
    await place();
  } catch (error) {
    if (isTransient(error)) throw error;
    const e = error as { name?: string; message?: string };
    pass.failures.push({ placement, target, error: `${e.name ?? "Error"}: ${e.message ?? String(error)}` });
  }
}
