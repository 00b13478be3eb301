import type { Policy } from "../core/policy/schema.ts";
import {
  type PermissionSetContentRun,
  reconcilePermissionSetContent,
} from "../usecases/reconcile-estate/reconcile-permission-set-content.ts";
import type { Connection } from "./connect.ts";

/**
 * The permission-set content step of `plan` and `reconcile` (docs/policy.md, "Permission sets as
 * code"): `plan` judges only; `reconcile` creates missing declared sets and, under
 * `permissionSetDrift: repair`, writes drifted ones back and re-provisions them. Run before the
 * assignments, so a set the policy adds exists when its rules are assigned.
 */
export async function permissionSetContentStep(
  policy: Policy,
  connection: Pick<Connection, "identityCenter" | "permissionSetContent">,
  apply: boolean,
): Promise<PermissionSetContentRun> {
  const { identityCenter, permissionSetContent } = connection;
  return reconcilePermissionSetContent(
    policy,
    {
      listPermissionSets: () => identityCenter.listPermissionSets(),
      read: (arn) => permissionSetContent.read(arn),
      create: (attributes) => permissionSetContent.create(attributes),
      apply: (arn, repair) => permissionSetContent.apply(arn, repair),
      provisionPermissionSetEverywhere: (arn) => identityCenter.provisionPermissionSetEverywhere(arn),
      provisioningStatus: (requestId) => identityCenter.provisioningStatus(requestId),
    },
    { dryRun: !apply },
  );
}

/** The step as people read it: what would change or changed, and each drift with its diff. */
export function formatPermissionSetContent(run: PermissionSetContentRun, applied: boolean): string[] {
  if (run.plan.steps.length === 0 && run.plan.findings.length === 0) return [];
  const lines = ["Permission sets:"];
  for (const step of run.plan.steps) {
    const outcome = run.outcomes.find((o) => o.permissionSet === step.name);
    const verb = step.kind === "create" ? "create" : "repair";
    lines.push(
      `  ${verb} ${step.name}${outcome === undefined ? (applied ? "" : " (planned)") : `: ${outcome.status}${outcome.error ? ` ${outcome.error.Error}: ${outcome.error.Cause}` : ""}`}`,
    );
  }
  for (const finding of run.plan.findings) {
    lines.push(`  ${finding.kind}: ${finding.message}`);
    if (finding.subject.diff) lines.push(...finding.subject.diff.split("\n").map((line) => `    ${line}`));
  }
  return lines;
}
