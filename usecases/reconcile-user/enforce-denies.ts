import type { DenyLedger } from "../../adapters/deny-ledger.ts";
import type { LeaseLock } from "../../adapters/lease-lock.ts";
import type { RevocationWrite, RevocationWriteMarker } from "../../adapters/revocation-write-marker.ts";
import { errorText } from "../../core/error-text.ts";
import type { DenyEntry } from "../../core/estate.ts";
import { denyInForce } from "../../core/plan/deny-key.ts";
import type { IdentityCenterUserPort, RevocationScpPort } from "../../core/ports.ts";
import { fitInlineWithFallback } from "../../core/revocation/fit-inline-with-fallback.ts";
import type { MassFallbackMode } from "../../core/revocation/fit-revocation-scps.ts";
import { isTransient } from "../shared/dependency-unavailable.ts";
import { awaitOperationOutcome } from "./await-operation-outcome.ts";
import {
  type ManagementAccountAccess,
  type ManagementAccountPort,
  ManagementComponentUnavailableError,
} from "./management-account-access.ts";
import type {
  DroppedDeny,
  OperationOutcome,
  PlacementFailure,
  Reprovision,
  ScpCapacity,
} from "./run-state.ts";

export interface EnforceDeniesDeps {
  ledger: DenyLedger;
  /** Serializes the revocation writers of concurrent runs (the `revocation` lease). */
  lock: LeaseLock;
  /** The ledger sequence last put in force: a run whose Denies a later write carried skips its own. */
  marker: RevocationWriteMarker;
  scps: RevocationScpPort;
  identityCenter: IdentityCenterUserPort;
  instanceArn: string;
  /** SCPs never apply to the management account, so its permission sets carry the Denies inline. */
  managementAccountId: string | undefined;
  /** How the management account is reached (core/topology.ts). @default { kind: "direct" } */
  managementAccess?: ManagementAccountAccess;
  /**
   * policy `revocation.massFallback`: what to do when Denies fit in no SCP; a function is asked at each
   * write (an estate deployment reads the policy per run). @default "ask"
   */
  massFallback?: MassFallbackMode | (() => Promise<MassFallbackMode>);
  /** Between status polls of a re-provision the task makes itself (through the component). @default 1000 */
  provisionPollMs?: number;
  now: () => string;
}

/** Why a Deny placement was left out by design rather than refused (each is a finding, and alarmed). */
export interface SkippedPlacement {
  placement: "scp" | "management-account";
  reason: string;
}

/**
 * Renders the ledger's Denies in force into the revocation SCPs (sharded) and into the inline
 * policy of every permission set provisioned to the management account (each set gets the Denies
 * that concern it, by priority: core/revocation/fit-inline-denies.ts), and returns the re-provisions
 * that put the inline change in force, with what could not be placed. Used both to add and to lift a
 * Deny: the result is always the ledger.
 *
 * `ledgerSeq` is the sequence the caller's ledger changes got (DenyLedger.advance). With it, a run
 * whose changes a finished write already held returns that write's result (`carriedBy`) instead of
 * writing: in a burst of leavers one write carries every Deny recorded while the previous one ran, so
 * N leavers cost a few SCP writes rather than N queued one after another. Without it (an estate run,
 * which also lets expired Denies go), the run always writes.
 */
export async function enforceDenies(
  deps: EnforceDeniesDeps,
  context: { runId?: string; ledgerSeq?: number } = {},
): Promise<Enforced> {
  const runId = context.runId ?? "run";
  // Runs for different users enforce at the same time and each writes the whole set: the lease keeps
  // one writer at a time, and each writer renders the ledger it lists under the lease after reading
  // its sequence, so it holds every change marked up to that number.
  const write = () => enforceUnderLease(deps, runId);
  const { ledgerSeq } = context;
  if (ledgerSeq === undefined) return deps.lock.withLease("revocation", write);
  return deps.lock.withLeaseUnless("revocation", () => carried(deps, ledgerSeq), write);
}

/** What an enforcement achieved; `carriedBy` names the write that held this run's changes. */
export type Enforced = Pass & {
  at: string;
  carriedBy?: { runId: string; seq: number };
};

/** The last write's result when it held the ledger up to `ledgerSeq`. */
async function carried(deps: EnforceDeniesDeps, ledgerSeq: number): Promise<Enforced | undefined> {
  const last = await deps.marker.read();
  if (last === undefined || last.seq < ledgerSeq) return undefined;
  // The writer's run makes the re-provisions its write asked for; this run has none of its own.
  return {
    ...(last.result as Pass),
    reprovisions: [],
    managementProvisioning: [],
    at: last.at,
    carriedBy: { runId: last.runId, seq: last.seq },
  };
}

async function enforceUnderLease(deps: EnforceDeniesDeps, runId: string): Promise<Enforced> {
  const seq = await deps.ledger.sequence();
  const now = deps.now();
  const inForce = (await deps.ledger.list()).map((l) => l.deny).filter((d) => denyInForce(d, now));
  const pass = await writeDenies(deps, inForce, runId);
  const at = deps.now();
  // The re-provisions stay with this run (its workflow makes them); a carried run reports the rest.
  const write: RevocationWrite = {
    seq,
    runId,
    at,
    result: { ...pass, reprovisions: [], managementProvisioning: [] },
  };
  await deps.marker.record(write);
  return { ...pass, at };
}

/** What one write of the ledger achieved, and what it could not place. */
interface Pass {
  scpPolicyIds: string[];
  overflow: number;
  /** Re-provisions left to the workflow (the pipeline's own role may make them). */
  reprovisions: Reprovision[];
  /** Re-provisions made through the management component, polled to completion by the task. */
  managementProvisioning: OperationOutcome[];
  failures: PlacementFailure[];
  dropped: DroppedDeny[];
  skipped: SkippedPlacement[];
  /** The mass fallback or the users left uncovered when the Denies overflowed the SCPs, if they did. */
  scpCapacity?: ScpCapacity;
}

const emptyPass = (): Pass => ({
  scpPolicyIds: [],
  overflow: 0,
  reprovisions: [],
  managementProvisioning: [],
  failures: [],
  dropped: [],
  skipped: [],
});

/**
 * SCPs disabled on the root (Organizations API reference, AttachPolicy: PolicyTypeNotEnabledException;
 * "Disabling a policy type": every SCP is detached). The slots can be written but not attached: no SCP
 * Deny is in force in member accounts. The management account's inline Deny still is; sessions in
 * member accounts end when they expire, and assignments and memberships are removed as usual.
 */
const SCPS_DISABLED =
  "service control policies are disabled on the organization's root: the Deny is not in force in member " +
  "accounts (their live sessions end when they expire, at most the session duration); access was removed and " +
  "the management account's inline Deny applies. Enable SCPs (aws organizations enable-policy-type --root-id " +
  "<root> --policy-type SERVICE_CONTROL_POLICY) and the next run places the Deny";

/**
 * Writes the Denies in force into the SCPs and the management account's inline policies. One
 * placement failing (a refused write, a policy that cannot be merged) never stops the others: it is
 * reported, and the run goes on to remove access, verify and write evidence. A transient failure is
 * rethrown so the workflow retries the whole (idempotent) write.
 */
async function writeDenies(deps: EnforceDeniesDeps, inForce: DenyEntry[], runId: string): Promise<Pass> {
  const pass = emptyPass();
  const asked = typeof deps.massFallback === "function" ? await deps.massFallback() : deps.massFallback;
  const mode = asked ?? "ask";
  // Member accounts (SCPs) and the management account (inline) at once: neither covers the other's
  // sessions, and each write of a burst's Denies is what the next burst of runs waits for.
  await Promise.all([
    placeScps(deps, pass, inForce, mode),
    placeManagementInline(deps, pass, inForce, runId, mode),
  ]);
  return pass;
}

/** The Denies in force into the revocation SCPs (member accounts). */
async function placeScps(deps: EnforceDeniesDeps, pass: Pass, inForce: DenyEntry[], mode: MassFallbackMode) {
  await placeOrReport(pass, "scp", "revocation SCPs", async () => {
    try {
      const scp = await deps.scps.writeRevocationScps(inForce, { massFallback: mode });
      pass.scpPolicyIds = scp.policyIds;
      pass.overflow = scp.overflow.length;
      const uncovered = scp.uncovered ?? [];
      if (scp.fallback || scp.federatedFallback || uncovered.length > 0 || scp.limitHit)
        pass.scpCapacity = {
          ...pass.scpCapacity,
          ...(scp.fallback ? { massFallback: scp.fallback } : {}),
          ...(scp.federatedFallback ? { federatedFallback: scp.federatedFallback } : {}),
          ...(uncovered.length > 0 ? { uncovered } : {}),
          ...(scp.limitHit ? { limitHit: scp.limitHit } : {}),
        };
    } catch (error) {
      if ((error as { name?: string }).name !== "PolicyTypeNotEnabledException") throw error;
      pass.skipped.push({ placement: "scp", reason: SCPS_DISABLED });
    }
  });
}

/** The Denies in force inline in every permission set provisioned to the management account. */
async function placeManagementInline(
  deps: EnforceDeniesDeps,
  pass: Pass,
  inForce: DenyEntry[],
  runId: string,
  mode: MassFallbackMode,
): Promise<void> {
  const accountId = deps.managementAccountId;
  if (accountId === undefined) return;
  const access = deps.managementAccess ?? { kind: "direct" };
  let management: ManagementAccountPort | undefined;
  if (access.kind === "component") {
    try {
      management = await access.connect(runId);
    } catch (error) {
      if (isTransient(error)) throw error;
      const unavailable =
        error instanceof ManagementComponentUnavailableError
          ? error
          : new ManagementComponentUnavailableError(access.roleArn, { cause: error });
      pass.skipped.push({ placement: "management-account", reason: unavailable.message });
      return;
    }
  }
  const ic = management ?? deps.identityCenter;
  // Names only for the sets provisioned there: listing them costs a DescribePermissionSet per set of
  // the instance on the shared sso-admin budget, which a layoff spends run after run.
  const provisioned = await ic.listProvisionedPermissionSets(accountId);
  const names = new Map(
    provisioned.length === 0 ? [] : (await ic.listPermissionSets()).map((p) => [p.arn, p.name]),
  );
  for (const { permissionSetArn } of provisioned) {
    await placeOrReport(pass, "inline", permissionSetArn, async () => {
      const current = await ic.getInlinePolicy(permissionSetArn);
      const permissionSetName = names.get(permissionSetArn) ?? permissionSetArn;
      const fit = fitInlineWithFallback(current, inForce, { permissionSetName, accountId }, mode);
      if (fit.fallback)
        pass.scpCapacity = {
          ...pass.scpCapacity,
          inlineFallbacks: [
            ...(pass.scpCapacity?.inlineFallbacks ?? []),
            { target: permissionSetArn, ...fit.fallback },
          ],
        };
      for (const deny of fit.dropped)
        pass.dropped.push({ placement: "inline", target: permissionSetArn, deny });
      if (fit.document === current) return;
      if (fit.document === null) await ic.deleteInlinePolicy(permissionSetArn);
      else await ic.putInlinePolicy(permissionSetArn, fit.document);
      pass.reprovisions.push({
        InstanceArn: deps.instanceArn,
        PermissionSetArn: permissionSetArn,
        TargetId: accountId,
        TargetType: "AWS_ACCOUNT",
      });
    });
  }
  if (management !== undefined) {
    // The workflow's role may not provision there: the task does it with the component, and waits.
    const component = management;
    pass.managementProvisioning = await Promise.all(
      pass.reprovisions.map((r) => provisionAndWait(component, r, deps.provisionPollMs ?? 1000)),
    );
    pass.reprovisions = [];
  }
}

/** Re-provisions one set to the management account and polls it to the end (about a second in AWS). */
function provisionAndWait(
  ic: ManagementAccountPort,
  r: Reprovision,
  pollMs: number,
): Promise<OperationOutcome> {
  return awaitOperationOutcome(
    () => ic.provisionPermissionSet(r.PermissionSetArn, r.TargetId),
    (requestId) => ic.provisioningStatus(requestId),
    { accountId: r.TargetId, permissionSetArn: r.PermissionSetArn },
    pollMs,
  );
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
    pass.failures.push({ placement, target, error: errorText(error) });
  }
}
