import type { OrganizationsAdapter } from "../../adapters/organizations.ts";
import type { Policy } from "../../core/policy/schema.ts";
import { type CredentialSweepDeps, sweepEstateCredentials } from "./credential-sweep.ts";
import { parseEstateRunInput } from "./run-input.ts";

/** What the sweep task needs besides the policy, the organization and the run: the ports and adapters. */
export type CredentialSweepPorts = Omit<CredentialSweepDeps, "policy" | "now" | "runId" | "evidence">;

/** What the SweepCredentials state keeps (small: the evidence record has the rest). */
export interface CredentialSweepSummary {
  /** False when the policy has no credentials section: nothing was read. */
  enabled: boolean;
  status?: "ready" | "blocked";
  accounts?: number;
  problems?: number;
  humansHoldingLongLivedCredentials?: number;
  actions?: number;
  failed?: number;
  evidenceKey?: string | null;
}

/**
 * The estate run's SweepCredentials task (workflows/estate-reconcile.ts): reads the policy and the
 * organization afresh, sweeps (credential-sweep.ts) and writes the sweep's evidence record. Without
 * the ports (a deploy that does not sweep) or the policy's credentials section, it does nothing.
 */
export function sweepEstateCredentialsTask(deps: {
  policy: () => Promise<Policy>;
  organizations: Pick<OrganizationsAdapter, "readOrganization">;
  credentials?: CredentialSweepPorts | undefined;
  evidence?: CredentialSweepDeps["evidence"];
  now: () => string;
}): (raw: unknown) => Promise<CredentialSweepSummary> {
  return async (raw) => {
    const state = parseEstateRunInput(raw);
    // A run started by an Identity Center change judges its pair or permission set only
    // (core/plan/estate-scope.ts): sweeping every account's credentials is the full runs' work.
    if (state.trigger.type === "identity-center-event") return { enabled: false };
    const policy = await deps.policy();
    if (deps.credentials === undefined || policy.credentials === undefined) return { enabled: false };
    const run = await sweepEstateCredentials(
      {
        ...deps.credentials,
        policy,
        ...(deps.evidence ? { evidence: deps.evidence } : {}),
        now: deps.now,
        runId: state.runId,
      },
      { organization: await deps.organizations.readOrganization(), apply: true, trigger: state.trigger },
    );
    if (run === null) return { enabled: false };
    return {
      enabled: true,
      status: run.sweep.status,
      accounts: run.accounts.length,
      problems: run.problems.length,
      humansHoldingLongLivedCredentials: run.sweep.humansHoldingLongLivedCredentials,
      actions: run.outcomes.length,
      failed: run.outcomes.filter((o) => o.status === "FAILED").length,
      evidenceKey: run.evidence?.key ?? null,
    };
  };
}
