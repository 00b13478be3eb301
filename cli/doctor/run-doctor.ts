import { type AbacCheckTarget, checkAbacAttributes } from "./abac-check.ts";
import type { CheckResult } from "./check.ts";
import { checkEvidenceLock, type EvidenceLockTarget } from "./evidence-lock-check.ts";
import { checkHook, type HookCheckTarget } from "./hook-check.ts";
import { checkIdentityCenter, type IdentityCenterTarget } from "./identity-center-check.ts";
import { checkPolicyEvents, type PolicyEventsTarget } from "./policy-events-check.ts";
import { checkPollerCursor, type PollerTarget } from "./poller-check.ts";
import { checkScps, type ScpTarget } from "./scp-check.ts";
import { checkTopology, type TopologyTarget } from "./topology-check.ts";

/** Everything the doctor looks at, already connected. */
export interface DoctorTargets {
  /** Where the checks run, for the report (`the local stack at ...`, `Okta ... and AWS ...`). */
  where: string;
  hook: HookCheckTarget;
  identityCenter: IdentityCenterTarget;
  scps: ScpTarget;
  evidence: EvidenceLockTarget;
  poller: PollerTarget;
  /** Only when the deployment's policy is an S3 object: its changes start estate runs. */
  policyEvents?: PolicyEventsTarget;
  /** Where the stack runs and, as delegated administrator, its management component (topology-check.ts). */
  topology?: TopologyTarget;
  /** Identity Center's attributes for access control against the policy's `abac` (abac-check.ts). */
  abac?: AbacCheckTarget;
}

export interface DoctorReport {
  results: CheckResult[];
  stdout: string;
  /** 1 when any check found a problem; `unsupported` checks do not fail the run but never pass it silently. */
  exitCode: number;
}

const LABEL = { ok: "ok", problem: "PROBLEM", unsupported: "n/a" } as const;

/** Runs every check (independently: one failing never hides the others) and formats the report. */
export async function runDoctor(targets: DoctorTargets): Promise<DoctorReport> {
  const results = await Promise.all([
    checkHook(targets.hook),
    checkIdentityCenter(targets.identityCenter),
    checkScps(targets.scps),
    checkEvidenceLock(targets.evidence),
    checkPollerCursor(targets.poller),
    ...(targets.policyEvents ? [checkPolicyEvents(targets.policyEvents)] : []),
    ...(targets.topology ? [checkTopology(targets.topology)] : []),
    ...(targets.abac ? [checkAbacAttributes(targets.abac)] : []),
  ]);
  const width = Math.max(...results.map((r) => r.check.length));
  const lines = [`okta-aws-lifecycle doctor: ${targets.where}`, ""];
  for (const r of results) {
    lines.push(`  ${LABEL[r.status].padEnd(8)} ${r.check.padEnd(width)}  ${r.detail}`);
    if (r.fix) lines.push(`  ${"".padEnd(8)} ${"".padEnd(width)}  fix: ${r.fix}`);
  }
  const problems = results.filter((r) => r.status === "problem").length;
  const unsupported = results.filter((r) => r.status === "unsupported").length;
  lines.push("");
  lines.push(
    [
      problems === 0
        ? `No problems in ${results.length - unsupported} check(s).`
        : `${problems} problem(s) found.`,
      unsupported > 0 ? `${unsupported} check(s) could not run here (n/a): they are not passes.` : "",
    ]
      .filter(Boolean)
      .join(" "),
  );
  return { results, stdout: `${lines.join("\n")}\n`, exitCode: problems > 0 ? 1 : 0 };
}
