import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { createDenyProver } from "../../local/runtime/deny-prover.ts";
import { type LocalStack, startLocalStack } from "../../local/stack/local-stack.ts";

/**
 * The demo estate's Active Directory APP_GROUP "aws-security-auditors" shares the name of the Okta group
 * the demo policy names by id (local/estate/demo-okta.ts): Okta allows it (management spec, GroupType).
 */
describe("an APP_GROUP with the policy group's name grants nothing (issue 13)", () => {
  let stack: LocalStack;
  const okta = async (method: string, path: string) => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `SSWS ${stack.emulators.okta.apiToken}`, accept: "application/json" },
    });
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
  };
  const runRecords = async (oktaUserId: string, count: number) => {
    for (let i = 0; i < 400; i++) {
      const keys = (await stack.adapters.evidence.list("v1/runs/")).filter(
        (k) => k.includes(oktaUserId) && k.endsWith(".run.json"),
      );
      if (keys.length >= count)
        return Promise.all(keys.map(async (k) => JSON.parse(await stack.adapters.evidence.get(k))));
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`fewer than ${count} runs for ${oktaUserId}`);
  };

  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      hookSecret: randomHookSecret(),
      holdSeconds: 600,
      pollMs: 5,
    });
  });
  afterAll(() => stack.stop());

  it("a mover who leaves the policy's OKTA_GROUP but stays in the same-named APP_GROUP loses its access, and evidence says why", async () => {
    // Prepare: Wei is in both groups called aws-security-auditors (SecurityAudit everywhere)
    const wei = stack.emulators.okta.state.user("wei.chen@example.com");
    if (!wei) throw new Error("no wei.chen");
    const named = stack.emulators.okta.state.groups().filter((g) => g.name === "aws-security-auditors");
    const oktaGroup = named.find((g) => g.type === "OKTA_GROUP");
    const appGroup = named.find((g) => g.type === "APP_GROUP");
    if (!oktaGroup || !appGroup) throw new Error("the demo estate has both groups");
    expect(stack.policy.rules.find((r) => r.name === "security-auditors")?.group).toEqual({
      id: oktaGroup.id,
    });
    expect(stack.emulators.okta.state.groupsOf(wei.id).map((g) => g.id)).toContain(appGroup.id);

    // Act: Wei leaves the OKTA_GROUP only
    await okta("DELETE", `/api/v1/groups/${oktaGroup.id}/users/${wei.id}`);
    await stack.settle();
    const [record] = await runRecords(wei.id, 1);

    // Assess: a mover's scoped Deny on SecurityAudit, proven in an account; ReadOnly untouched
    const decisions = JSON.stringify(record.body.plan);
    expect(decisions).toContain('"decision":"adjust"');
    expect(record.body.verification.passed).toBe(true);
    const findings = JSON.stringify(record.body);
    expect(findings).toContain("okta-group-name-shared");
    expect(findings).toContain(appGroup.id);
    const ic = stack.emulators.identityCenter.snapshot();
    const userId = String(ic.users.find((u) => u.userName === "wei.chen@example.com")?.userId);
    const scps = (await stack.adapters.organizations.listRevocationScps()).map((s) => s.content);
    const prover = createDenyProver(stack.estate.organization.rootId);
    const accountId = stack.estate.organization.accounts.find(
      (a) => a.id !== stack.estate.organization.managementAccountId && a.status === "ACTIVE",
    )?.id as string;
    expect(
      await prover.isDenied({ userId, accountId, permissionSetName: "SecurityAudit", scps, inline: [] }),
    ).toBe(true);
    expect(
      await prover.isDenied({ userId, accountId, permissionSetName: "ReadOnly", scps, inline: [] }),
    ).toBe(false);
  });
});
