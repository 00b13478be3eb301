import type { CredentialFinding } from "../../core/credentials/credential-finding.ts";
import { GUARDRAIL_SCP_NAME } from "../../core/credentials/guardrail-scp.ts";
import type { Sweep } from "../../core/credentials/sweep.ts";
import type { CredentialAccountProblem } from "../../core/ports.ts";
import type { GuardrailPlan } from "./credential-sweep.ts";

/** A finding of the sweep, shaped like the estate run's (kind, message, subject), with a fix when there is one. */
export interface SweepFinding {
  kind: CredentialFinding["kind"] | SweepOwnFindingKind;
  message: string;
  subject: Record<string, string>;
  fix?: string;
}

type SweepOwnFindingKind =
  /** An account whose credentials could not be read (wrong role name, no StackSet instance, unreachable). */
  | "credential-account-problem"
  /** The plan would deactivate more keys than the policy allows: nothing was applied. */
  | "credential-sweep-blocked"
  /** The guardrail SCP as planned, not attached: `credentials.guardrail` is off. */
  | "guardrail-scp-off"
  /** The guardrail SCP is off in the policy but still attached (the tool never detaches it). */
  | "guardrail-scp-attached-while-off"
  /** The exemptions make the guardrail longer than an SCP may be. */
  | "guardrail-scp-too-large"
  /** Turned on, but this run may not write SCPs: a person attaches it. */
  | "guardrail-scp-not-attached"
  /** Off in the policy while the deploy's slot held the guardrail: the run wrote the placeholder back. */
  | "guardrail-scp-lifted"
  /** The guardrail (the deploy's slot) could not be read: nothing written to it. */
  | "guardrail-scp-unreadable";

/** The sweep's findings: the mapping's, each account problem, a blocked plan, and the guardrail's state. */
export function sweepFindings(input: {
  sweep: Sweep;
  problems: readonly CredentialAccountProblem[];
  guardrail: GuardrailPlan;
}): SweepFinding[] {
  const findings: SweepFinding[] = [...input.sweep.findings];
  for (const p of input.problems) {
    findings.push({
      kind: "credential-account-problem",
      message: `account ${p.accountId}: ${p.message} (not swept this run; the other accounts were)`,
      subject: { accountId: p.accountId, code: p.code },
      fix: p.fix,
    });
  }
  for (const v of input.sweep.violations) {
    findings.push({
      kind: "credential-sweep-blocked",
      message: `${v.message} Nothing was deactivated: check that Okta's read was complete, then raise the guard for one run or revoke by hand.`,
      subject: { guard: v.guard },
      fix: "raise credentials.iamUsers.maxKeyDeactivations if these leavers are real",
    });
  }
  const { scp, stored, step } = input.guardrail;
  if (scp === null) {
    findings.push({
      kind: "guardrail-scp-too-large",
      message: `the guardrail SCP ${GUARDRAIL_SCP_NAME} would be longer than an SCP may be: not attached`,
      subject: { policyName: GUARDRAIL_SCP_NAME },
      fix: "exempt automation by pattern (arn:aws:iam::*:role/terraform-*) rather than one ARN per account",
    });
  } else if (step === "unavailable") {
    findings.push({
      kind: "guardrail-scp-not-attached",
      message: `credentials.guardrail is true, but this run may not write SCPs other than the revocation slots: ${scp.name} is not attached`,
      subject: { policyName: scp.name },
      fix: "redeploy with OAL_CREDENTIALS_GUARDRAIL=on (the deploy creates the guardrail slot and the run writes it), or create the SCP with the content in this record's truth.organization.credentials.guardrail and attach it to the root (aws organizations create-policy, then attach-policy)",
    });
  } else if (step === "unreadable") {
    findings.push({
      kind: "guardrail-scp-unreadable",
      message: `the guardrail SCP could not be read, so nothing was written to it: ${input.guardrail.error}`,
      subject: { policyName: scp.name },
      fix: "check the estate function's GUARDRAIL_SCP_ID against the deploy output guardrailScpId, then run again",
    });
  } else if (step === "lift") {
    findings.push({
      kind: "guardrail-scp-lifted",
      message: `credentials.guardrail is false: the guardrail in slot ${stored?.policyId} is lifted (its placeholder written back)`,
      subject: { policyName: scp.name, ...(stored ? { policyId: stored.policyId } : {}) },
      fix: "set credentials.guardrail: true to put it back",
    });
  } else if (step === "off") {
    findings.push(
      stored?.attached === true && stored.placeholder !== true
        ? {
            kind: "guardrail-scp-attached-while-off",
            message: `${scp.name} (${stored.policyId}) is attached to the root though credentials.guardrail is false; the tool never detaches it`,
            subject: { policyName: scp.name, policyId: stored.policyId },
            fix: "detach it in Organizations, or set credentials.guardrail: true",
          }
        : {
            kind: "guardrail-scp-off",
            message: `${scp.name} is planned, not attached (credentials.guardrail is false); it would exempt ${scp.exemptions.length} principal pattern(s)`,
            subject: { policyName: scp.name },
            fix: "set credentials.guardrail: true to attach it to the root",
          },
    );
  }
  return findings;
}
