import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseEvidenceRecord } from "../../core/evidence/record.ts";
import { DEFAULT_MEMBER_ROLE_NAMES } from "../../core/policy/credentials-policy.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { createDenyProver } from "../../local/runtime/deny-prover.ts";
import type { LocalStack, LocalStackOptions } from "../../local/stack/local-stack.ts";
import { oktaAdmin } from "../support/local-okta.ts";
import { startTestStack } from "../support/test-stack.ts";

const SECRET = randomHookSecret();
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
 * placed, and the leaver's assignment in the management account deleted, through it; without it both are
 * skipped with findings and the DenyPlacementsSkipped signal, everything else is revoked, and verification
 * passes with the management-account checks recorded as skipped.
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
      const inlineBefore = await managementAccountInlinePolicies(stack);
      expect(inlineBefore.size).toBeGreaterThan(0);
      // the leaver also holds a set provisioned to the management account, in the management account
      const management = stack.estate.organization.managementAccountId;
      const [managementSet] = [...inlineBefore.keys()];
      const managementAssignment = {
        accountId: management,
        permissionSetArn: String(managementSet),
        principalType: "USER" as const,
        principalId: userId,
      };
      stack.emulators.identityCenter.seed.assignment(managementAssignment);
      const before = reachableAccounts(stack, userId);
      expect(before.length).toBeGreaterThanOrEqual(5);
      expect(before).toContain(management);
      const oktaUser = stack.emulators.okta.state.user(LEAVER);

      // Act: suspended in Okta (a leaver; SCIM sends nothing for a suspend, so the user stays in Identity
      // Center and the run revokes whatever the SCIM deactivation switches say: test/e2e/leaver.test.ts)
      await oktaAdmin(stack, "POST", `/api/v1/users/${LEAVER}/lifecycle/suspend`);
      await stack.settle();
      const key = await stack.waitForEvidence(String(oktaUser?.id));

      // Assess: the run holds its Deny (not failed), nothing is reachable, the SCP Deny is in force
      expect(stack.stepFunctions.executions().map((r) => r.status)).toEqual(["RUNNING"]);
      // the management-account assignment: deleted through the component (the stack's own key is refused
      // there), or left in place by design without it
      expect(reachableAccounts(stack, userId)).toEqual(managementDeny === "placed" ? [] : [management]);
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
      // The Identity Center sessions; the credential step's member roles (issue 16) are assumed everywhere.
      const memberRoles: string[] = Object.values(DEFAULT_MEMBER_ROLE_NAMES);
      const sessions = [...stack.emulators.iam.state.sessions.values()].filter(
        (s) => !memberRoles.includes(s.roleName),
      );
      expect(sessions.map((s) => s.accountId)).toEqual(
        managementDeny === "placed" ? sessions.map(() => stack.estate.organization.managementAccountId) : [],
      );

      // evidence: valid; a finding and the alarm signal exactly when the component is missing
      const record = JSON.parse(await stack.adapters.evidence.get(key));
      expect(parseEvidenceRecord(record).success).toBe(true);
      // verification reads back what is in force and passes: without the component, exactly the management
      // account's checks (its inline Denies, the assignment there, a session there) are recorded as skipped
      type Check = { check: string; passed: boolean; skipped?: string };
      const details: Check[] = record.body.verification.details;
      expect(record.body.verification).toMatchObject({ passed: true });
      expect(details.filter((d) => !d.passed && d.skipped === undefined)).toEqual([]);
      const skippedChecks = details.filter((d) => d.skipped !== undefined);
      if (managementDeny === "placed") expect(skippedChecks).toEqual([]);
      else {
        expect(skippedChecks.map((d) => d.check).sort()).toEqual(
          [
            ...[...inlineBefore.keys()].map((arn) => `Deny inline in ${arn} (management account)`),
            `no assignment of ${managementSet} left in ${management} (management account)`,
            expect.stringMatching(new RegExp(`session in ${management} is denied \\(policy evaluation\\)$`)),
          ].sort(),
        );
        for (const d of skippedChecks) expect(d.skipped).toContain(String(stack.topology.component?.roleArn));
      }
      const deletions = record.body.actions.filter(
        (a: { kind: string; target: { accountId?: string } }) =>
          a.kind === "assignment.delete" && a.target.accountId === management,
      );
      const skippedDeletions = record.body.plan.findings.filter(
        (f: { kind: string }) => f.kind === "management-account-skipped",
      );
      if (managementDeny === "placed") {
        expect(deletions).toEqual([
          expect.objectContaining({ status: "SUCCEEDED", requestId: expect.any(String) }),
        ]);
        expect(skippedDeletions).toEqual([]);
      } else {
        expect(deletions).toEqual([]);
        expect(skippedDeletions).toEqual([
          expect.objectContaining({
            subject: { accountId: management, permissionSetArn: managementSet, principalId: userId },
            message: expect.stringContaining(String(stack.topology.component?.roleArn)),
          }),
        ]);
      }
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
      expect(
        record.body.actions.filter((a: { status: string }) => a.status !== "SUCCEEDED"),
        "every action succeeded",
      ).toEqual([]);
      expect(stack.signals.PartialRevocations).toBeUndefined();
    });
  },
);
