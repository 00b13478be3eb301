import type { EvidenceStore, StoredEvidence } from "../../adapters/evidence-store.ts";
import { holdsLongLivedCredential, iamUserKey } from "../../core/credentials/iam-user.ts";
import type { EvidenceDraft, Trigger, Verification } from "../../core/evidence/record.ts";
import type { CredentialSweepRun } from "./credential-sweep.ts";

/** The id of a sweep's record: `<run id>.credentials`, beside the estate run's `<run id>.estate`. */
export const credentialSweepRecordId = (runId: string) => `${runId}.credentials`;

/**
 * The sweep's evidence: an `estate-run` record of its own, so the export's drift, blocked-plan and
 * finding rows read it like any estate run. Before: what discovery read (`truth.organization.credentials`:
 * the accounts, their problems, every holder of a long-lived credential, the count of humans among
 * them, and the guardrail slot's content as read: `guardrail.storedContent`). The plan: the credential
 * actions and the guardrail SCP (attached, or lifted back to the slot's placeholder). After: each
 * action's outcome, the read-back of every user the run revoked and of the guardrail slot it wrote
 * (`verification`, check `guardrail-slot-content` with the content before and after).
 */
export async function writeCredentialSweepEvidence(
  deps: { evidence?: Pick<EvidenceStore, "append">; now: () => string; runId: string },
  run: Omit<CredentialSweepRun, "evidence"> & { trigger: Trigger; runStarted: string; people: number },
): Promise<StoredEvidence | null> {
  if (!deps.evidence) return null;
  const { sweep, guardrail } = run;
  const blockedReason = sweep.status === "blocked" ? sweep.violations.map((v) => v.message).join(" ") : null;
  const shown =
    guardrail.scp === null
      ? null
      : {
          name: guardrail.scp.name,
          content: guardrail.scp.content,
          exemptions: guardrail.scp.exemptions,
          step: guardrail.step,
          ...(guardrail.stored
            ? { policyId: guardrail.stored.policyId, storedContent: guardrail.stored.content }
            : {}),
        };
  // The guardrail is an action only when the run attaches or lifts it; otherwise the truth shows it.
  const guardrailAction =
    shown !== null && (guardrail.step === "attach" || guardrail.step === "lift")
      ? [{ kind: `guardrail-scp.${guardrail.step}`, ...shown }]
      : [];
  const record: EvidenceDraft = {
    schemaVersion: 1,
    recordId: credentialSweepRecordId(deps.runId),
    runId: deps.runId,
    kind: "estate-run",
    createdAt: deps.now(),
    body: {
      trigger: run.trigger,
      truth: {
        okta: { users: run.people },
        identityCenter: {},
        organization: {
          accounts: run.accounts.length,
          credentials: {
            accounts: run.accounts.map((a) => ({
              accountId: a.accountId,
              name: a.name,
              inOrganization: a.inOrganization,
            })),
            problems: run.problems,
            humansHoldingLongLivedCredentials: sweep.humansHoldingLongLivedCredentials,
            holders: sweep.holders,
            guardrail: shown,
          },
        },
      },
      plan: {
        actions: [...sweep.actions, ...guardrailAction],
        findings: run.findings.map((f) => ({ ...f })),
        blockedReason,
      },
      actions: run.outcomes,
      verification: run.readBack === null && run.guardrailWrite === null ? null : verification(run),
      timings: { runStarted: run.runStarted, runFinished: deps.now() },
    },
  };
  return deps.evidence.append(record, record.recordId);
}

/** One check per revoked user: read back, holding no console password and no active key. */
function verification(
  run: Pick<CredentialSweepRun, "sweep" | "readBack" | "guardrail" | "guardrailWrite">,
): Verification {
  const read = new Map((run.readBack ?? []).flatMap((a) => a.users.map((u) => [iamUserKey(u), u] as const)));
  const readAccounts = new Set((run.readBack ?? []).map((a) => a.accountId));
  const revoked = run.sweep.holders.filter((h) => h.revoke);
  const details = revoked.map((holder) => {
    const user = read.get(iamUserKey(holder));
    // A user deleted since the sweep holds nothing; an account not read back proves nothing.
    const passed = user !== undefined ? !holdsLongLivedCredential(user) : readAccounts.has(holder.accountId);
    return {
      check: "long-lived-credentials-ended",
      passed,
      accountId: holder.accountId,
      arn: holder.arn,
      detail:
        user === undefined
          ? readAccounts.has(holder.accountId)
            ? "the user is gone from the account"
            : "the account could not be read back"
          : passed
            ? "no console password, no active access key"
            : `still holds: ${[
                ...(user.hasConsolePassword ? ["console password"] : []),
                ...user.accessKeys.filter((k) => k.status === "Active").map((k) => `active key ${k.id}`),
              ].join(", ")}`,
    };
  });
  const slot = guardrailSlotCheck(run);
  const all = [...details, ...(slot ? [slot] : [])];
  return { passed: all.every((d) => d.passed), details: all };
}

/** The guardrail slot read back after the run wrote it: the guardrail (attach) or not it any more (lift). */
function guardrailSlotCheck(run: Pick<CredentialSweepRun, "guardrail" | "guardrailWrite">) {
  const write = run.guardrailWrite;
  if (write === null || write.after === undefined || run.guardrail.scp === null) return null;
  const lifted = run.guardrail.step === "lift";
  const passed = lifted
    ? write.after !== run.guardrail.scp.content
    : write.after === run.guardrail.scp.content;
  return {
    check: "guardrail-slot-content",
    passed,
    policyId: write.policyId,
    before: write.before,
    after: write.after,
    detail: lifted
      ? passed
        ? "the slot holds its placeholder: the guardrail is lifted"
        : "the slot still holds the guardrail"
      : passed
        ? "the slot holds the guardrail as planned"
        : "the slot holds other content than the guardrail",
  };
}
