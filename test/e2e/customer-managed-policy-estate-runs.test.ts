/**
 * The estate workflow's customer managed policy check (issue 18), end to end on the local stack: the
 * demo estate's DeveloperAccess references the customer managed policy /platform/DeveloperGuardrails,
 * which the demo puts in every account the set is assigned in, so a whole-estate run on a fresh stack
 * records no finding about it; once it is deleted in one account, the next run's evidence names exactly
 * that account, the set and the policy. Each account is asked once per run (one GetPolicy per account
 * and policy). A run scoped to one set's console edit checks that set only.
 */
import { PutInlinePolicyToPermissionSetCommand, SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEvidenceRecord } from "../../core/evidence/record.ts";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { ESTATE_RECONCILE_ARN, type LocalStack } from "../../local/stack/local-stack.ts";
import { startTestStack } from "../support/test-stack.ts";

const SET = "DeveloperAccess";
const POLICY = { name: "DeveloperGuardrails", path: "/platform/" };
const EDIT = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Deny", Action: "s3:PutObject", Resource: "*" }],
});

interface EstateRecord {
  body: { plan: { findings: { kind: string; message: string; subject: Record<string, string> }[] } };
}

describe("estate runs check that accounts hold the customer managed policies declared sets reference", () => {
  let stack: LocalStack;
  let accounts: string[];

  beforeAll(async () => {
    stack = await startTestStack(randomHookSecret(), { pollMs: 5 });
    const ic = stack.emulators.identityCenter.snapshot();
    const arn = ic.permissionSets.find((p) => p.name === SET)?.arn;
    accounts = ic.provisioned.filter((p) => p.permissionSetArn === arn).map((p) => p.accountId);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const estateRuns = () =>
    stack.stepFunctions.executions().filter((e) => e.stateMachineArn === ESTATE_RECONCILE_ARN);

  const findingsOf = async (runId: string) => {
    const key = (await stack.adapters.evidence.list("v1/runs/")).find((k) =>
      k.endsWith(`${runId}.estate.json`),
    );
    if (!key) throw new Error(`no evidence record for run ${runId}`);
    const record: EstateRecord = JSON.parse(await stack.adapters.evidence.get(key));
    // The findings travel in the estate record's own schema.
    expect(parseEvidenceRecord(record).success).toBe(true);
    return record.body.plan.findings.filter((f) => f.kind.startsWith("customer-managed-policy-"));
  };

  it("a fresh demo stack: present in every account the set is provisioned to, no finding, one GetPolicy per account", async () => {
    expect(accounts.length).toBeGreaterThan(1);
    stack.emulators.iam.resetCallCounts();

    const run = await stack.runEstateReconcile("estate-cmp-present");

    expect(run?.status).toBe("SUCCEEDED");
    expect(await findingsOf("estate-cmp-present")).toEqual([]);
    expect(stack.emulators.iam.callCounts()["iam:GetPolicy"]).toBe(accounts.length);
  }, 120_000);

  it("deleted in one account: exactly one finding, naming that account, the set and the policy", async () => {
    const [gone] = accounts;
    if (gone === undefined) throw new Error(`${SET} is provisioned nowhere in the demo estate`);
    stack.emulators.iam.state.account(gone).policies.delete(POLICY.name.toLowerCase());

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

  it("a run scoped to one set's console edit checks that set only", async () => {
    // A person at the console: any key but the stack's own starts a scoped run (local/stack/cloudtrail-caller.ts).
    const person = new SSOAdminClient({
      ...localClientConfig(stack.url),
      credentials: { accessKeyId: "console-admin", secretAccessKey: "console-admin" },
    });
    const sets = stack.emulators.identityCenter.snapshot().permissionSets;
    const edit = async (name: string) => {
      const arn = sets.find((p) => p.name === name)?.arn;
      stack.emulators.iam.resetCallCounts();
      const before = estateRuns().length;
      await person.send(
        new PutInlinePolicyToPermissionSetCommand({
          InstanceArn: stack.emulators.identityCenter.instanceArn,
          PermissionSetArn: arn,
          InlinePolicy: EDIT,
        }),
      );
      await stack.idle();
      const runs = estateRuns().slice(before);
      expect(runs.map((r) => r.status)).toEqual(["SUCCEEDED"]);
      return {
        findings: await findingsOf(JSON.parse(String(runs[0]?.input)).runId),
        getPolicy: stack.emulators.iam.callCounts()["iam:GetPolicy"] ?? 0,
      };
    };
    try {
      // Another set, without customer managed policies: nothing asked.
      expect(await edit("SecurityAudit")).toEqual({ findings: [], getPolicy: 0 });
      // The set itself: each of its accounts asked, the deleted policy still missing in one.
      const own = await edit(SET);
      expect(own.getPolicy).toBe(accounts.length);
      expect(own.findings.map((f) => `${f.kind} ${f.subject.accountId}`)).toEqual([
        `customer-managed-policy-missing ${accounts[0]}`,
      ]);
    } finally {
      person.destroy();
    }
  }, 120_000);
});
