/**
 * Permission-set drift repaired by the estate workflow itself (issue 18), end to end on the local stack
 * under `permissionSetDrift: repair`: an inline policy edited at the console (a call signed by someone
 * else) starts, through its CloudTrail event, a run scoped to that permission set, which writes the
 * declared content back and records the drift's diff, the write and its read-back in the run's
 * evidence; a drift no trigger saw (an edit signed with the stack's own key) is repaired by the next
 * whole-estate run.
 */
import { PutInlinePolicyToPermissionSetCommand, SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { demoPolicyYaml } from "../../local/estate/demo-policy.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { ESTATE_RECONCILE_ARN, type LocalStack } from "../../local/stack/local-stack.ts";
import { startTestStack } from "../support/test-stack.ts";

const OVER_GRANT = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
});

interface EstateRecord {
  body: {
    plan: {
      actions: { kind: string; permissionSet?: string }[];
      findings: { kind: string; subject: Record<string, string> }[];
    };
    actions: { kind: string; status: string; target: Record<string, string>; note?: string }[];
    verification: {
      passed: boolean;
      details: { check: string; passed: boolean; permissionSet?: string }[];
    } | null;
  };
}

describe("estate runs repair declared permission-set content", () => {
  let stack: LocalStack;
  let person: SSOAdminClient;
  let tool: SSOAdminClient;

  beforeAll(async () => {
    const doc = parseDocument(demoPolicyYaml());
    doc.set("permissionSetDrift", "repair");
    stack = await startTestStack(randomHookSecret(), {
      pollMs: 5,
      policyYaml: doc.toString(),
    });
    // A person at the console: any key but the stack's own (local/stack/cloudtrail-caller.ts).
    person = new SSOAdminClient({
      ...localClientConfig(stack.url),
      credentials: { accessKeyId: "console-admin", secretAccessKey: "console-admin" },
    });
    tool = new SSOAdminClient(localClientConfig(stack.url));
  }, 120_000);
  afterAll(async () => {
    person?.destroy();
    tool?.destroy();
    await stack?.stop();
  });

  const estateRuns = () =>
    stack.stepFunctions.executions().filter((e) => e.stateMachineArn === ESTATE_RECONCILE_ARN);
  /** A permission set the demo policy declares content for, as Identity Center holds it now. */
  const declaredSet = (name: string) => {
    const set = stack.emulators.identityCenter.snapshot().permissionSets.find((p) => p.name === name);
    if (!set) throw new Error(`the demo estate has no permission set ${name}`);
    return set;
  };
  /** The sets whose inline policy the policy owns (it declares one; a key left out is not owned). */
  const declaredNames = () =>
    Object.entries(stack.policy.permissionSets)
      .filter(([, decl]) => decl.inlinePolicy !== undefined)
      .map(([name]) => name)
      .sort();
  const editInline = (client: SSOAdminClient, permissionSetArn: string) =>
    client.send(
      new PutInlinePolicyToPermissionSetCommand({
        InstanceArn: stack.emulators.identityCenter.instanceArn,
        PermissionSetArn: permissionSetArn,
        InlinePolicy: OVER_GRANT,
      }),
    );
  const estateRecord = async (runId: string): Promise<EstateRecord> => {
    const key = (await stack.adapters.evidence.list("v1/runs/")).find((k) =>
      k.endsWith(`${runId}.estate.json`),
    );
    if (!key) throw new Error(`no evidence record for run ${runId}`);
    return JSON.parse(await stack.adapters.evidence.get(key));
  };

  it("a console edit of an inline policy is repaired by the scoped run its CloudTrail event starts, and the evidence names the diff", async () => {
    // Prepare
    const name = declaredNames()[0];
    if (!name) throw new Error("the demo policy declares no inline policy");
    const set = declaredSet(name);
    const declaredInline = set.inlinePolicy;
    const before = estateRuns().length;

    // Act: the edit, made by someone else
    await editInline(person, set.arn);
    await stack.idle();

    // Assess: one scoped run (its own repair, signed by the stack, starts none) put the content back
    const runs = estateRuns().slice(before);
    expect(runs.map((r) => r.status)).toEqual(["SUCCEEDED"]);
    const input = JSON.parse(String(runs[0]?.input));
    expect(input.trigger).toMatchObject({ type: "identity-center-event", permissionSetArn: set.arn });
    expect(declaredSet(name).inlinePolicy).toEqual(declaredInline);

    const record = await estateRecord(input.runId);
    const drift = record.body.plan.findings.find(
      (f) => f.kind === "permission-set-drift" && f.subject.permissionSet === name,
    );
    expect(drift?.subject.fields).toBe("inlinePolicy");
    // The diff turns the declared Deny into the console's Allow
    expect(drift?.subject.diff).toContain('-      "Effect": "Deny",');
    expect(drift?.subject.diff).toContain('+      "Effect": "Allow",');
    expect(record.body.plan.actions).toContainEqual(
      expect.objectContaining({ kind: "permission-set.repair", permissionSet: name }),
    );
    const repair = record.body.actions.find((a) => a.kind === "permission-set.repair");
    expect(repair).toMatchObject({
      status: "SUCCEEDED",
      target: { permissionSet: name, permissionSetArn: set.arn },
    });
    expect(repair?.note).toContain("read back");
    expect(record.body.verification).toEqual({
      passed: true,
      details: [{ check: "permission-set-content-read-back", passed: true, permissionSet: name }],
    });
    // Scoped to the edited set: no other declared set was judged or written
    expect(record.body.actions.filter((a) => a.kind.startsWith("permission-set."))).toHaveLength(1);
  }, 120_000);

  it("a drift no trigger saw is repaired by the next whole-estate run", async () => {
    // Prepare: an edit signed with the stack's own key starts no run
    const name = declaredNames()[0];
    if (!name) throw new Error("the demo policy declares no inline policy");
    const set = declaredSet(name);
    const declaredInline = set.inlinePolicy;
    const before = estateRuns().length;
    await editInline(tool, set.arn);
    await stack.idle();
    expect(estateRuns()).toHaveLength(before);
    expect(declaredSet(name).inlinePolicy).toBe(OVER_GRANT);

    // Act
    const run = await stack.runEstateReconcile("estate-permission-set-drift");

    // Assess
    expect(run?.status).toBe("SUCCEEDED");
    expect(declaredSet(name).inlinePolicy).toEqual(declaredInline);
    const record = await estateRecord("estate-permission-set-drift");
    expect(record.body.plan.findings).toContainEqual(
      expect.objectContaining({
        kind: "permission-set-drift",
        subject: expect.objectContaining({ permissionSet: name }),
      }),
    );
    expect(record.body.actions).toContainEqual(
      expect.objectContaining({ kind: "permission-set.repair", status: "SUCCEEDED" }),
    );
    expect(record.body.verification?.passed).toBe(true);
  }, 120_000);
});
