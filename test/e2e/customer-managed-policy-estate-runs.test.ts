/**
 * The estate workflow's customer managed policy check (issue 18), end to end on the local stack: the
 * demo policy with one set (ReadOnly) also referencing a customer managed policy; each account the
 * set is provisioned to holds it, so a whole-estate run records no finding about it; once it is deleted
 * in one account, the next run's evidence names exactly that account, the set and the policy. Each
 * account is asked once per run (one GetPolicy per account and policy).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { demoPolicyYaml } from "../../local/estate/demo-policy.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { startTestStack } from "../support/test-stack.ts";

const SET = "ReadOnly";
const POLICY = { name: "read-only-guardrails", path: "/okta-aws-lifecycle/" };
const DOCUMENT = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Deny", Action: "s3:PutObject", Resource: "*" }],
};

interface EstateRecord {
  body: { plan: { findings: { kind: string; message: string; subject: Record<string, string> }[] } };
}

describe("estate runs check that accounts hold the customer managed policies declared sets reference", () => {
  let stack: LocalStack;
  let accounts: string[];

  beforeAll(async () => {
    const doc = parseDocument(demoPolicyYaml());
    doc.setIn(["permissionSets", SET, "customerManagedPolicies"], [POLICY]);
    stack = await startTestStack("Bearer customer-managed-policy-estate-runs", {
      pollMs: 5,
      policyYaml: doc.toString(),
    });
    const ic = stack.emulators.identityCenter.snapshot();
    const arn = ic.permissionSets.find((p) => p.name === SET)?.arn;
    accounts = ic.provisioned.filter((p) => p.permissionSetArn === arn).map((p) => p.accountId);
    for (const accountId of accounts)
      stack.emulators.iam.seed.managedPolicy({ accountId, ...POLICY, document: DOCUMENT });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const findingsOf = async (runId: string) => {
    const key = (await stack.adapters.evidence.list("v1/runs/")).find((k) =>
      k.endsWith(`${runId}.estate.json`),
    );
    if (!key) throw new Error(`no evidence record for run ${runId}`);
    const record: EstateRecord = JSON.parse(await stack.adapters.evidence.get(key));
    return record.body.plan.findings.filter((f) => f.kind.startsWith("customer-managed-policy-"));
  };

  it("present in every account the set is provisioned to: no finding, one GetPolicy per account", async () => {
    expect(accounts.length).toBeGreaterThan(1);
    stack.emulators.iam.resetCallCounts();

    const run = await stack.runEstateReconcile("estate-cmp-present");

    expect(run?.status).toBe("SUCCEEDED");
    expect(await findingsOf("estate-cmp-present")).toEqual([]);
    expect(stack.emulators.iam.callCounts()["iam:GetPolicy"]).toBe(accounts.length);
  }, 120_000);

  it("deleted in one account: exactly one finding, naming that account, the set and the policy", async () => {
    const [gone] = accounts;
    if (gone === undefined) throw new Error("ReadOnly is provisioned nowhere in the demo estate");
    stack.emulators.iam.state.account(gone).policies.delete(POLICY.name);

    const run = await stack.runEstateReconcile("estate-cmp-missing");

    expect(run?.status).toBe("SUCCEEDED");
    const findings = await findingsOf("estate-cmp-missing");
    expect(findings).toEqual([
      expect.objectContaining({
        kind: "customer-managed-policy-missing",
        subject: expect.objectContaining({
          permissionSet: SET,
          accountId: gone,
          policyName: POLICY.name,
          policyPath: POLICY.path,
        }),
      }),
    ]);
    expect(findings[0]?.message).toContain(
      `create the IAM policy ${POLICY.path}${POLICY.name} in account ${gone}`,
    );
  }, 120_000);
});
