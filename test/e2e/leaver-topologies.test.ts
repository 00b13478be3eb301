import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseEvidenceRecord } from "../../core/evidence/record.ts";
import { createDenyProver } from "../../local/runtime/deny-prover.ts";
import type { LocalStack, LocalStackOptions } from "../../local/stack/local-stack.ts";
import { oktaAdmin } from "../support/local-okta.ts";
import { startTestStack } from "../support/test-stack.ts";

const SECRET = "Bearer e2e-hook-secret";
const LEAVER = "jane.doe@example.com";

/** The inline policies of the permission sets provisioned to the management account, by set ARN. */
async function managementAccountInlinePolicies(stack: LocalStack): Promise<Map<string, string | null>> {
  const ic = stack.adapters.identityCenter;
  const provisioned = await ic.listProvisionedPermissionSets(stack.estate.organization.managementAccountId);
  const policies = new Map<string, string | null>();
  for (const { permissionSetArn } of provisioned)
    policies.set(permissionSetArn, await ic.getInlinePolicy(permissionSetArn));
  return policies;
}

/** What the leaver reaches through Identity Center (memberships and assignments). */
function reachableAccounts(stack: LocalStack, userId: string): string[] {
  const ic = stack.emulators.identityCenter.snapshot();
  const groups = ic.memberships.filter((m) => m.userId === userId).map((m) => m.groupId);
  return [
    ...new Set(
      ic.assignments
        .filter((a) => a.principalId === userId || groups.includes(a.principalId))
        .map((a) => a.accountId),
    ),
  ];
}

/**
 * The stack as Identity Center's delegated administrator (docs/deploy.md, "Topologies"; the management
 * account is test/e2e/leaver.test.ts): with the management component the management-account Deny is
 * placed through it; without it that Deny is skipped with a finding and the DenyPlacementsSkipped signal,
 * and everything else is revoked.
 */
const CASES: {
  name: string;
  options: Pick<LocalStackOptions, "topology" | "managementComponent">;
  managementDeny: "placed" | "skipped";
}[] = [
  {
    name: "with the management component",
    options: { topology: "delegated-admin", managementComponent: true },
    managementDeny: "placed",
  },
  {
    name: "without the management component",
    options: { topology: "delegated-admin", managementComponent: false },
    managementDeny: "skipped",
  },
];

describe.each(CASES)(
  "a leaver, the stack as delegated administrator $name",
  ({ options, managementDeny }) => {
    let stack: LocalStack;
    beforeAll(async () => {
      stack = await startTestStack(SECRET, {
        ...options,
      });
    });
    afterAll(() => stack.stop());

    it("the stack's own credentials may not change what is provisioned to the management account", async () => {
      // Prepare: a permission set provisioned to the management account, and one assignment there
      const [arn] = [...(await managementAccountInlinePolicies(stack)).keys()];
      const management = stack.estate.organization.managementAccountId;
      const ic = stack.adapters.identityCenter;

      // Act
      const write = ic.putInlinePolicy(String(arn), JSON.stringify({ Version: "2012-10-17", Statement: [] }));
      const provision = ic.provisionPermissionSet(String(arn), management);

      // Assess: refused as AWS refuses a delegated administrator, and the stack acts from another account
      await expect(write).rejects.toMatchObject({ name: "AccessDeniedException" });
      await expect(provision).rejects.toMatchObject({ name: "AccessDeniedException" });
      expect(stack.topology.accountId).not.toBe(management);
    });

    it("suspending a user revokes everything the topology allows, and the evidence says what was skipped", async () => {
      // Prepare
      const userId = String(
        stack.emulators.identityCenter.snapshot().users.find((u) => u.userName === LEAVER)?.userId,
      );
      const before = reachableAccounts(stack, userId);
      expect(before.length).toBeGreaterThanOrEqual(5);
      const inlineBefore = await managementAccountInlinePolicies(stack);
      expect(inlineBefore.size).toBeGreaterThan(0);
      const oktaUser = stack.emulators.okta.state.user(LEAVER);

      // Act: suspended in Okta (a leaver; SCIM sends nothing for a suspend, so the user stays in Identity
      // Center and the run revokes whatever the SCIM deactivation switches say: test/e2e/leaver.test.ts)
      await oktaAdmin(stack, "POST", `/api/v1/users/${LEAVER}/lifecycle/suspend`);
      await stack.settle();
      const key = await stack.waitForEvidence(String(oktaUser?.id));

      // Assess: the run holds its Deny (not failed), nothing is reachable, the SCP Deny is in force
      expect(stack.stepFunctions.executions().map((r) => r.status)).toEqual(["RUNNING"]);
      expect(reachableAccounts(stack, userId)).toEqual([]);
      const scps = (await stack.adapters.organizations.listRevocationScps()).map((s) => s.content);
      const prover = createDenyProver(stack.estate.organization.rootId);
      const member = before.filter((a) => a !== stack.estate.organization.managementAccountId);
      for (const accountId of member) {
        expect(
          await prover.isDenied({
            userId,
            accountId,
            permissionSetName: "DeveloperAccess",
            scps,
            inline: [],
          }),
        ).toBe(true);
      }

      // the management account's permission sets: the inline Deny through the component, or untouched
      const inlineAfter = await managementAccountInlinePolicies(stack);
      for (const [arn, policy] of inlineAfter) {
        if (managementDeny === "placed") expect(policy, arn).toContain(userId);
        else expect(policy, arn).toBe(inlineBefore.get(arn));
      }
      const assumed = stack.emulators.iam.callCounts()["sts:AssumeRole"] ?? 0;
      expect(assumed).toBeGreaterThan(0);
      const sessions = [...stack.emulators.iam.state.sessions.values()];
      expect(sessions.map((s) => s.accountId)).toEqual(
        managementDeny === "placed" ? sessions.map(() => stack.estate.organization.managementAccountId) : [],
      );

      // evidence: valid; a finding and the alarm signal exactly when the component is missing
      const record = JSON.parse(await stack.adapters.evidence.get(key));
      expect(parseEvidenceRecord(record).success).toBe(true);
      // verification reads back what is in force: without the component, exactly the management account's
      // inline Denies are missing, and it says so
      const failedChecks = record.body.verification.details
        .filter((d: { passed: boolean }) => !d.passed)
        .map((d: { check: string }) => d.check);
      if (managementDeny === "placed") expect(record.body.verification).toMatchObject({ passed: true });
      else
        expect(failedChecks.sort()).toEqual(
          [...inlineBefore.keys()].map((arn) => `Deny inline in ${arn} (management account)`).sort(),
        );
      const skipped = record.body.plan.findings.filter(
        (f: { kind: string }) => f.kind === "deny-placement-skipped",
      );
      // the evidence task's signals are counted once it returns, just after the record is stored
      await vi.waitFor(() => expect(stack.signals.Revocations).toBe(1));
      if (managementDeny === "placed") {
        expect(skipped).toEqual([]);
        expect(stack.signals.DenyPlacementsSkipped).toBeUndefined();
      } else {
        expect(skipped).toEqual([
          expect.objectContaining({
            subject: { placement: "management-account", userId },
            message: expect.stringContaining(String(stack.topology.component?.roleArn)),
          }),
        ]);
        expect(stack.signals.DenyPlacementsSkipped).toBe(1);
      }
      expect(stack.signals.PartialRevocations).toBeUndefined();
      expect(
        record.body.actions.filter((a: { status: string }) => a.status !== "SUCCEEDED"),
        "every action succeeded",
      ).toEqual([]);
    });
  },
);
