import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildExportModel } from "../../core/evidence/export-model.ts";
import { parseEvidenceRecord } from "../../core/evidence/record.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { oktaAdmin } from "../support/local-okta.ts";
import { startTestStack } from "../support/test-stack.ts";

const SECRET = randomHookSecret();
const LEAVER = "jane.doe@example.com";

/**
 * Issue 15: a leaver's inline Deny in the management account's permission sets left those sets
 * outdated in every other account, and the next estate run re-provisioned each pair and reported it
 * as drift (99 changes in the 35-account demo). Now the next estate run makes one call per changed set
 * and reports no drift.
 */
describe("the estate run after a leaver", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startTestStack(SECRET);
  });
  afterAll(() => stack.stop());

  it("re-provisions each permission set the leaver's Deny changed with one call, and reports no drift", async () => {
    // Prepare: a leaver; her run writes the inline Deny and re-provisions the management account
    const ic = stack.emulators.identityCenter;
    const oktaUser = stack.emulators.okta.state.user(LEAVER);
    await oktaAdmin(stack, "POST", `/api/v1/users/${LEAVER}/lifecycle/deactivate`);
    await stack.settle();
    await stack.waitForEvidence(String(oktaUser?.id));
    const outdated = ic.snapshot().provisioned.filter((p) => p.outdated);
    const changedSets = new Set(outdated.map((p) => p.permissionSetArn));
    expect(changedSets.size).toBeGreaterThan(0);
    ic.resetCallCounts();

    // Act: the next (scheduled) estate run, through the estate workflow
    const run = await stack.runEstateReconcile("estate-after-leaver");

    // Assess
    expect(run?.status).toBe("SUCCEEDED");
    const calls = ic.snapshot().calls.ssoAdmin.ProvisionPermissionSet ?? 0;
    expect(ic.snapshot().provisioned.filter((p) => p.outdated)).toEqual([]);
    const key = (await stack.adapters.evidence.list("v1/runs/")).find((k) =>
      k.endsWith("estate-after-leaver.estate.json"),
    );
    const parsed = parseEvidenceRecord(JSON.parse(await stack.adapters.evidence.get(String(key))));
    if (!parsed.success) throw new Error(`the estate run's evidence does not parse: ${String(key)}`);
    const record = parsed.data;
    const day = record.createdAt.slice(0, 10);
    const { figures } = buildExportModel([{ key: String(key), record }], { period: { from: day, to: day } });
    console.log(
      `after one leaver: ${outdated.length} outdated pairs in ${changedSets.size} permission set(s); the next estate run made ${calls} ProvisionPermissionSet call(s), ${figures.drift.actions} drift change(s), ${figures.drift.findings} drift finding(s)`,
    );
    expect(calls).toBeLessThanOrEqual(changedSets.size);
    expect(figures.drift.actions).toBe(0);
    expect(record.kind === "estate-run" && record.body.actions.map((a) => a.cause)).toEqual(
      [...changedSets].map(() => "revocation"),
    );
  });
});
