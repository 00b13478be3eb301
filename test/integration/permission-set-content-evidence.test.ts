/**
 * The permission-set content step in an estate run's evidence (usecases/reconcile-estate/
 * permission-set-content-evidence.ts): what was found (the drift and its diff), what was written, and
 * the read-back, all inside the estate-run record's schema.
 */
import { describe, expect, it } from "vitest";
import { actionOutcomeSchema, planSummarySchema, verificationSchema } from "../../core/evidence/record.ts";
import { permissionSetContentEvidence } from "../../usecases/reconcile-estate/permission-set-content-evidence.ts";
import type { PermissionSetContentRun } from "../../usecases/reconcile-estate/reconcile-permission-set-content.ts";

const ARN = "arn:aws:sso:::permissionSet/ssoins-1/ps-1";
const repair = {
  attachManagedPolicies: [],
  detachManagedPolicies: [],
  attachCustomerManagedPolicies: [],
  detachCustomerManagedPolicies: [],
};
const drift = {
  kind: "permission-set-drift" as const,
  message: "permission set 'Dev' differs from the policy in inlinePolicy",
  subject: {
    permissionSet: "Dev",
    permissionSetArn: ARN,
    fields: "inlinePolicy",
    diff: '-  "Deny"\n+  "Allow"',
  },
};

describe("permissionSetContentEvidence", () => {
  it("records the drift with its diff, each write with its request id, and the read-back as verification", () => {
    // Prepare
    const run: PermissionSetContentRun = {
      plan: {
        steps: [
          { kind: "create", name: "Auditor", attributes: { sessionDuration: "PT1H", tags: {} }, repair },
          { kind: "repair", name: "Dev", permissionSetArn: ARN, fields: ["inlinePolicy"], repair },
        ],
        findings: [drift],
      },
      outcomes: [
        {
          permissionSet: "Auditor",
          step: "create",
          status: "FAILED",
          error: { Error: "ValidationException", Cause: "bad name" },
          startedAt: "2026-12-07T00:00:00.000Z",
          finishedAt: "2026-12-07T00:00:01.000Z",
        },
        {
          permissionSet: "Dev",
          step: "repair",
          status: "SUCCEEDED",
          requestId: "req-1",
          permissionSetArn: ARN,
          note: "read back: matches the policy",
        },
      ],
    };

    // Act
    const evidence = permissionSetContentEvidence(run);

    // Assess
    expect(
      planSummarySchema.parse({
        actions: evidence.actions,
        findings: evidence.findings,
        blockedReason: null,
      }),
    ).toEqual({
      actions: [
        { kind: "permission-set.create", permissionSet: "Auditor" },
        {
          kind: "permission-set.repair",
          permissionSet: "Dev",
          permissionSetArn: ARN,
          fields: ["inlinePolicy"],
        },
      ],
      findings: [drift],
      blockedReason: null,
    });
    expect(evidence.outcomes.map((o) => actionOutcomeSchema.parse(o))).toEqual([
      {
        kind: "permission-set.create",
        target: { permissionSet: "Auditor" },
        requestId: null,
        status: "FAILED",
        error: "ValidationException: bad name",
        startedAt: "2026-12-07T00:00:00.000Z",
        finishedAt: "2026-12-07T00:00:01.000Z",
        attempts: 1,
      },
      {
        kind: "permission-set.repair",
        target: { permissionSet: "Dev", permissionSetArn: ARN },
        requestId: "req-1",
        status: "SUCCEEDED",
        error: null,
        note: "read back: matches the policy",
        startedAt: null,
        finishedAt: null,
        attempts: 1,
      },
    ]);
    expect(verificationSchema.parse(evidence.verification)).toEqual({
      passed: false,
      details: [
        {
          check: "permission-set-content-read-back",
          passed: false,
          permissionSet: "Auditor",
          error: "bad name",
        },
        { check: "permission-set-content-read-back", passed: true, permissionSet: "Dev" },
      ],
    });
  });

  it("leaves verification null when nothing was written", () => {
    // Act
    const evidence = permissionSetContentEvidence({ plan: { steps: [], findings: [drift] }, outcomes: [] });

    // Assess
    expect(evidence).toEqual({ actions: [], findings: [drift], outcomes: [], verification: null });
  });
});
