import { ListRootsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseEvidenceRecord } from "../../core/evidence/record.ts";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { oktaAdmin } from "../support/local-okta.ts";
import { startTestStack } from "../support/test-stack.ts";

const SECRET = randomHookSecret();
const LEAVER = "jane.doe@example.com";

/**
 * An organization whose root has SCPs disabled (someone disabled them after the deploy: the revocation
 * slots are detached, Organizations "Disabling a policy type"): a leaver run does not fail. The SCP
 * placement is skipped with a finding that gives the enable command and the DenyPlacementsSkipped signal;
 * the management account's inline Deny is placed, and assignments and memberships are removed.
 */
describe("a leaver in an organization with SCPs disabled", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startTestStack(SECRET, {
      awsBehaviour: { scpPolicyTypeEnabled: false },
    });
  });
  afterAll(() => stack.stop());

  it("is revoked everywhere it can be, with a finding and the alarm signal", async () => {
    // Prepare
    const ic = stack.emulators.identityCenter;
    const userId = String(ic.snapshot().users.find((u) => u.userName === LEAVER)?.userId);
    const groupsBefore = ic.snapshot().memberships.filter((m) => m.userId === userId);
    expect(groupsBefore.length).toBeGreaterThan(0);
    const oktaUser = stack.emulators.okta.state.user(LEAVER);
    const management = stack.estate.organization.managementAccountId;

    // Act: suspended in Okta (a leaver; the user stays in Identity Center)
    await oktaAdmin(stack, "POST", `/api/v1/users/${LEAVER}/lifecycle/suspend`);
    await stack.settle();
    const key = await stack.waitForEvidence(String(oktaUser?.id));

    // Assess: the run holds its Deny rather than failing; no membership is left
    expect(stack.stepFunctions.executions().map((r) => r.status)).toEqual(["RUNNING"]);
    expect(ic.snapshot().memberships.filter((m) => m.userId === userId)).toEqual([]);
    // no SCP is attached anywhere (none can be), and the root lists no enabled policy type
    expect(await stack.adapters.organizations.listRevocationScps()).toEqual([]);
    const organizations = new OrganizationsClient(localClientConfig(stack.url));
    const { Roots } = await organizations.send(new ListRootsCommand({}));
    expect(Roots?.map((r) => r.PolicyTypes)).toEqual([[]]);
    // the management account's permission sets carry the inline Deny
    const provisioned = await stack.adapters.identityCenter.listProvisionedPermissionSets(management);
    expect(provisioned.length).toBeGreaterThan(0);
    for (const { permissionSetArn } of provisioned)
      expect(await stack.adapters.identityCenter.getInlinePolicy(permissionSetArn)).toContain(userId);
    // evidence: a finding naming the fix, the skipped-placement signal, and no failed action
    const record = JSON.parse(await stack.adapters.evidence.get(key));
    expect(parseEvidenceRecord(record).success).toBe(true);
    expect(
      record.body.plan.findings.filter((f: { kind: string }) => f.kind === "deny-placement-skipped"),
    ).toEqual([
      expect.objectContaining({
        subject: { placement: "scp", userId },
        message: expect.stringContaining("aws organizations enable-policy-type"),
      }),
    ]);
    expect(record.body.actions.filter((a: { status: string }) => a.status !== "SUCCEEDED")).toEqual([]);
    await vi.waitFor(() => expect(stack.signals.Revocations).toBe(1));
    expect(stack.signals.DenyPlacementsSkipped).toBe(1);
    expect(stack.signals.PartialRevocations).toBeUndefined();
  });
});
