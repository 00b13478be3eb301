import type { ActionOutcome, Verification } from "../../core/evidence/record.ts";
import type { Finding } from "../../core/plan/plan.ts";
import type { PermissionSetContentRun } from "./reconcile-permission-set-content.ts";

/** The content step's part of an estate-run record, inside the record's existing schema. */
export interface PermissionSetContentEvidence {
  /** The planned writes (`permission-set.create` / `permission-set.repair`) with the fields they change. */
  actions: { kind: string; [field: string]: unknown }[];
  /** What was found before any write: each drift's finding carries the diff in `subject.diff`. */
  findings: Finding[];
  /** What each write did, its re-provision's request id, and its read-back note or remaining diff. */
  outcomes: ActionOutcome[];
  /** One read-back check per written set; `null` when nothing was written. */
  verification: Verification | null;
}

/**
 * Maps the permission-set content step (reconcile-permission-set-content.ts) to evidence: the plan's
 * actions and findings (the observed drift, before), the outcomes (the writes) and the read-back as
 * verification checks (after), so an auditor reads the whole repair in the estate run's one record.
 */
export function permissionSetContentEvidence(run: PermissionSetContentRun): PermissionSetContentEvidence {
  const actions = run.plan.steps.map((step) =>
    step.kind === "create"
      ? { kind: "permission-set.create", permissionSet: step.name }
      : {
          kind: "permission-set.repair",
          permissionSet: step.name,
          permissionSetArn: step.permissionSetArn,
          fields: step.fields,
        },
  );
  const outcomes: ActionOutcome[] = run.outcomes.map((o) => ({
    kind: `permission-set.${o.step}`,
    target: {
      permissionSet: o.permissionSet,
      ...(o.permissionSetArn === undefined ? {} : { permissionSetArn: o.permissionSetArn }),
    },
    requestId: o.requestId ?? null,
    status: o.status,
    error: o.error ? [o.error.Error, o.error.Cause].filter(Boolean).join(": ") || "failed" : null,
    ...(o.note === undefined ? {} : { note: o.note }),
    startedAt: o.startedAt ?? null,
    finishedAt: o.finishedAt ?? null,
    attempts: 1,
  }));
  const verification: Verification | null =
    run.outcomes.length === 0
      ? null
      : {
          passed: run.outcomes.every((o) => o.status === "SUCCEEDED"),
          details: run.outcomes.map((o) => ({
            check: "permission-set-content-read-back",
            passed: o.status === "SUCCEEDED",
            permissionSet: o.permissionSet,
            ...(o.status === "SUCCEEDED" ? {} : { error: o.error?.Cause ?? o.error?.Error ?? "failed" }),
          })),
        };
  return { actions, findings: run.plan.findings, outcomes, verification };
}
