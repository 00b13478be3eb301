import type { StoredEvidence } from "../../adapters/evidence-store.ts";
import type {
  CredentialsGuardrail,
  GuardrailWrite,
  StoredGuardrail,
} from "../../adapters/organizations/credentials-guardrail.ts";
import type { CredentialAction } from "../../core/credentials/credential-action.ts";
import { type GuardrailScp, guardrailScp } from "../../core/credentials/guardrail-scp.ts";
import { holdsLongLivedCredential, iamUserKey } from "../../core/credentials/iam-user.ts";
import { type Sweep, sweepLongLivedCredentials } from "../../core/credentials/sweep.ts";
import type { OktaUser, Organization } from "../../core/estate.ts";
import type { ActionOutcome, Trigger } from "../../core/evidence/record.ts";
import type { Policy } from "../../core/policy/schema.ts";
import type {
  AccountCredentials,
  CredentialAccount,
  CredentialAccountProblem,
  CredentialDiscoveryPort,
  CredentialRevocationPort,
} from "../../core/ports.ts";
import { credentialAccounts, oktaPerson } from "./credential-accounts.ts";
import { writeCredentialSweepEvidence } from "./credential-sweep-evidence.ts";
import { type SweepFinding, sweepFindings } from "./credential-sweep-findings.ts";

export interface CredentialSweepDeps {
  policy: Pick<Policy, "credentials" | "revocation">;
  /** Every Okta user, DEPROVISIONED ones included (adapters/okta listUsers): the owners' status is read here. */
  okta: { listUsers(): Promise<OktaUser[]> };
  discovery: CredentialDiscoveryPort;
  revocation: CredentialRevocationPort;
  /**
   * Absent: the guardrail is planned (shown) but never read nor attached. With `lift` (the deploy's slot,
   * adapters/organizations/credentials-guardrail-slot.ts), a guardrail the policy turned off is lifted.
   */
  guardrail?: Pick<CredentialsGuardrail, "read" | "ensure"> & { lift?(): Promise<GuardrailWrite> };
  evidence?: { append: import("../../adapters/evidence-store.ts").EvidenceStore["append"] };
  now: () => string;
  runId: string;
}

/** The guardrail as planned: the SCP, what Organizations holds, and whether the run attaches it. */
export interface GuardrailPlan {
  scp: GuardrailScp | null;
  stored: StoredGuardrail | null;
  /**
   * `attach`: turned on and not (exactly) in force; `in-force`: nothing to do; `off`: shown only;
   * `unavailable`: turned on, but this run has no Organizations writer (a deployed estate task writes
   * only its SCP slots): shown, with a finding; `lift`: turned off while the deploy's slot still holds a
   * guardrail: the run writes the slot's placeholder back; `unreadable`: the guardrail could not be read
   * (a slot id that is not the tool's slot, an Organizations error): nothing written, a finding, the
   * rest of the sweep completes.
   */
  step: "attach" | "in-force" | "off" | "unavailable" | "lift" | "unreadable";
  /** Why the guardrail could not be read (`unreadable`). */
  error?: string;
}

export interface CredentialSweepRun {
  accounts: CredentialAccount[];
  problems: CredentialAccountProblem[];
  sweep: Sweep;
  guardrail: GuardrailPlan;
  findings: SweepFinding[];
  outcomes: ActionOutcome[];
  applied: boolean;
  /** What a read-back found on every IAM user the run revoked; `null` when nothing was applied. */
  readBack: AccountCredentials[] | null;
  /** The guardrail slot's content before and after the run's write (read back); `null` when none was made. */
  guardrailWrite: GuardrailWrite | null;
  evidence: StoredEvidence | null;
}

/**
 * The estate sweep (issue 16, Standing controls): read every account's IAM users (Organization accounts
 * and those the policy lists outside it), map them to Okta users read now (Okta is the truth: an
 * owner's status comes from Okta, never from an event), and end the credentials of owners Okta has as
 * leavers, guarded by `maxKeyDeactivations` (a blocked plan applies nothing: a finding and the reason in
 * evidence). An account that cannot be read is a finding for that account; the rest completes. The
 * optional guardrail SCP is planned every run and attached only when the policy turns it on.
 * `null` when the policy has no `credentials` section.
 */
export async function sweepEstateCredentials(
  deps: CredentialSweepDeps,
  run: { organization: Pick<Organization, "accounts">; apply: boolean; trigger: Trigger },
): Promise<CredentialSweepRun | null> {
  const credentials = deps.policy.credentials;
  if (credentials === undefined) return null;
  const runStarted = deps.now();
  const accounts = credentialAccounts(run.organization, credentials);
  const [discovered, people] = await Promise.all([
    deps.discovery.discover(accounts, { runId: deps.runId }),
    deps.okta.listUsers(),
  ]);
  const sweep = sweepLongLivedCredentials({
    users: discovered.accounts.flatMap((a) => a.users),
    people: people.map(oktaPerson),
    credentials,
    hold: deps.policy.revocation.hold,
    now: deps.now(),
  });
  const guardrail = await planGuardrail(deps, credentials);
  const apply = run.apply && sweep.status === "ready";
  const outcomes = apply ? await applySweep(deps, accounts, sweep.actions) : [];
  let guardrailWrite: GuardrailWrite | null = null;
  if (run.apply && (guardrail.step === "attach" || guardrail.step === "lift") && guardrail.scp) {
    const written = await writeGuardrail(deps, guardrail.scp, guardrail.step);
    outcomes.push(written.outcome);
    guardrailWrite = written.write;
  }
  const readBack =
    apply && sweep.actions.length > 0 ? await readBackRevoked(deps, accounts, sweep.actions) : null;
  const findings = sweepFindings({ sweep, problems: discovered.problems, guardrail });
  const result = {
    accounts,
    problems: discovered.problems,
    sweep,
    guardrail,
    findings,
    outcomes,
    applied: apply,
    readBack,
    guardrailWrite,
  };
  const evidence =
    deps.evidence && run.apply
      ? await writeCredentialSweepEvidence(deps, {
          ...result,
          trigger: run.trigger,
          runStarted,
          people: people.length,
        })
      : null;
  return { ...result, evidence };
}

async function planGuardrail(
  deps: CredentialSweepDeps,
  credentials: NonNullable<Policy["credentials"]>,
): Promise<GuardrailPlan> {
  let scp: GuardrailScp;
  try {
    scp = guardrailScp(credentials);
  } catch {
    // Too large to be an SCP: the finding says so (credential-sweep-findings.ts), nothing is attached.
    return { scp: null, stored: null, step: "off" };
  }
  let stored: StoredGuardrail | null = null;
  try {
    stored = deps.guardrail ? await deps.guardrail.read(scp.name) : null;
  } catch (error) {
    return {
      scp,
      stored: null,
      step: "unreadable",
      error: `${(error as Error).name}: ${(error as Error).message}`,
    };
  }
  if (!scp.attach) {
    const liftable = deps.guardrail?.lift !== undefined && stored?.placeholder === false;
    return { scp, stored, step: liftable ? "lift" : "off" };
  }
  if (!deps.guardrail) return { scp, stored, step: "unavailable" };
  const inForce = stored?.attached === true && stored.content === scp.content;
  return { scp, stored, step: inForce ? "in-force" : "attach" };
}

/** Each account's actions through its revocation role; an account that fails fails only its own actions. */
async function applySweep(
  deps: CredentialSweepDeps,
  accounts: readonly CredentialAccount[],
  actions: readonly CredentialAction[],
): Promise<ActionOutcome[]> {
  const outcomes: ActionOutcome[] = [];
  for (const account of accounts) {
    const own = actions.filter((a) => "accountId" in a && a.accountId === account.accountId);
    if (own.length === 0) continue;
    const startedAt = deps.now();
    let results: Awaited<ReturnType<CredentialRevocationPort["apply"]>>;
    try {
      results = await deps.revocation.apply(account, own, { runId: deps.runId });
    } catch (error) {
      const message = `${(error as Error).name}: ${(error as Error).message}`;
      results = own.map((action) => ({ action, status: "FAILED" as const, error: message }));
    }
    const finishedAt = deps.now();
    for (const r of results) {
      outcomes.push({
        kind: r.action.kind,
        target: {
          accountId: r.action.evidence.accountId,
          principal: r.action.evidence.principal,
          credential: r.action.evidence.credential,
          credentialId: r.action.evidence.credentialId,
        },
        requestId: null,
        status: r.status,
        error: r.status === "FAILED" ? (r.error ?? "failed") : null,
        ...(r.status === "SUCCEEDED" ? { note: `ended: ${r.action.evidence.ended}` } : {}),
        startedAt,
        finishedAt,
        attempts: 1,
      });
    }
  }
  return outcomes;
}

/**
 * Writes the guardrail (`attach`) or the slot's placeholder (`lift`). The slot writer reads the content
 * back: a read-back that differs from what was written is a FAILED outcome, with both in the note.
 */
async function writeGuardrail(
  deps: CredentialSweepDeps,
  scp: GuardrailScp,
  step: "attach" | "lift",
): Promise<{ outcome: ActionOutcome; write: GuardrailWrite | null }> {
  const startedAt = deps.now();
  const kind = `guardrail-scp.${step}`;
  const guardrail = deps.guardrail as NonNullable<CredentialSweepDeps["guardrail"]>;
  try {
    const write =
      step === "attach"
        ? await guardrail.ensure(scp)
        : await (guardrail.lift as () => Promise<GuardrailWrite>)();
    const expected = step === "attach" ? scp.content : undefined;
    const readBackDiffers = write.after !== undefined && expected !== undefined && write.after !== expected;
    const done = write.writes.join(", ") || "no write";
    const where =
      write.after === undefined
        ? `attached to the root (${done})`
        : `${step === "attach" ? "guardrail written into" : "placeholder written back into"} slot ${write.policyId} (${done}); read back ${readBackDiffers ? "DIFFERS" : "as written"}`;
    const outcome: ActionOutcome = {
      kind,
      target: { policyName: scp.name, policyId: write.policyId },
      requestId: null,
      status: readBackDiffers ? "FAILED" : "SUCCEEDED",
      error: readBackDiffers ? `the slot reads back other content than the guardrail: ${write.after}` : null,
      note: where,
      startedAt,
      finishedAt: deps.now(),
      attempts: 1,
    };
    return { outcome, write };
  } catch (error) {
    const outcome: ActionOutcome = {
      kind,
      target: { policyName: scp.name },
      requestId: null,
      status: "FAILED",
      error: `${(error as Error).name}: ${(error as Error).message}`,
      startedAt,
      finishedAt: deps.now(),
      attempts: 1,
    };
    return { outcome, write: null };
  }
}

/** Reads again the accounts the run changed, keeping only the users it revoked: the evidence "after". */
async function readBackRevoked(
  deps: CredentialSweepDeps,
  accounts: readonly CredentialAccount[],
  actions: readonly CredentialAction[],
): Promise<AccountCredentials[]> {
  const revoked = new Set(actions.flatMap((a) => ("userName" in a ? [iamUserKey(a)] : [])));
  const touched = accounts.filter((account) =>
    actions.some((a) => "accountId" in a && a.accountId === account.accountId),
  );
  const { accounts: read } = await deps.discovery.discover(touched, { runId: deps.runId });
  return read.map((account) => ({
    ...account,
    users: account.users.filter((user) => revoked.has(iamUserKey(user))),
    oktaTrustingRoles: [],
  }));
}

/** Whether every revoked user read back holds no long-lived credential any more. */
export function readBackPassed(readBack: readonly AccountCredentials[]): boolean {
  return readBack.every((account) => account.users.every((user) => !holdsLongLivedCredential(user)));
}
