import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { CredentialsGuardrail } from "../../adapters/organizations/credentials-guardrail.ts";
import { GUARDRAIL_SCP_NAME } from "../../core/credentials/guardrail-scp.ts";
import { exportCsvFiles } from "../../core/evidence/export-csv.ts";
import { buildExportModel, type KeyedRecord } from "../../core/evidence/export-model.ts";
import { parseEvidenceRecord } from "../../core/evidence/record.ts";
import { renderReportHtml } from "../../core/evidence/report-html.ts";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { DEMO_ACQUIRED } from "../../local/estate/demo-acquired.ts";
import { demoPolicyYaml } from "../../local/estate/demo-policy.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { startTestStack } from "../support/test-stack.ts";

/*
 * Issue 16, "Done when": the sweep, the guardrail plan and the export work on the demo estate. The
 * scheduled estate run sweeps the demo acquisition (local/estate/demo-acquired.ts) on the local stack:
 * keys of owners Okta no longer has ACTIVE end, everyone else's stay; the guardrail SCP is shown, then
 * attached once the policy turns it on; the auditor's export counts the humans holding long-lived
 * credentials against target 0.
 */

const SECRET = randomHookSecret();

describe("the estate sweep on the demo estate", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startTestStack(SECRET);
  });
  afterAll(() => stack?.stop());

  const keysOf = (accountId: string, userName: string) =>
    stack.emulators.iam.state
      .account(accountId)
      .user(userName)
      ?.accessKeys.map((k) => k.status) ?? [];
  const recordsOf = async (runId: string): Promise<KeyedRecord[]> => {
    const keys = (await stack.adapters.evidence.list("v1/")).filter((k) => k.includes(runId));
    return Promise.all(
      keys
        .filter((k) => k.endsWith(".json") && k.includes("/runs/"))
        .map(async (key) => {
          const parsed = parseEvidenceRecord(JSON.parse(await stack.adapters.evidence.get(key)));
          if (!parsed.success) throw new Error(`invalid record ${key}`);
          return { key, record: parsed.data };
        }),
    );
  };

  it("ends the keys of owners Okta has as leavers, keeps the rest, and records before, plan and read-back", async () => {
    // Act
    const run = await stack.runEstateReconcile("estate-sweep-1");

    // Assess: the run succeeded and swept the acquisition
    expect(run?.status).toBe("SUCCEEDED");
    expect(keysOf(DEMO_ACQUIRED.inOrganization, "sam.taylor")).toEqual(["Inactive"]); // DEPROVISIONED
    expect(keysOf(DEMO_ACQUIRED.dev.id, "amorgan")).toEqual(["Inactive"]); // SUSPENDED
    expect(
      stack.emulators.iam.state.account(DEMO_ACQUIRED.dev.id).user("amorgan")?.loginProfile,
    ).toBeUndefined();
    expect(keysOf(DEMO_ACQUIRED.prod.id, "jane.doe")).toEqual(["Active", "Active"]); // ACTIVE until she leaves
    expect(keysOf(DEMO_ACQUIRED.prod.id, "john.smith")).toEqual(["Active"]);
    expect(keysOf(DEMO_ACQUIRED.dev.id, "ci-deployer")).toEqual(["Active"]);
    expect(
      stack.emulators.iam.state.account(DEMO_ACQUIRED.prod.id).user("break-glass")?.loginProfile,
    ).toBeDefined();

    const records = await recordsOf("estate-sweep-1");
    const sweep = records.find((r) => r.record.recordId === "estate-sweep-1.credentials")?.record;
    if (sweep?.kind !== "estate-run") throw new Error("no sweep record");
    expect(sweep.body.plan.blockedReason).toBeNull();
    expect(sweep.body.verification?.passed).toBe(true);
    expect(sweep.body.actions.map((a) => `${a.kind} ${a.status}`).sort()).toEqual([
      "access-key.deactivate SUCCEEDED",
      "access-key.deactivate SUCCEEDED",
      "iam-user.deny SUCCEEDED",
      "iam-user.deny SUCCEEDED",
      "login-profile.delete SUCCEEDED",
    ]);
    expect(sweep.body.plan.findings.map((f) => f.kind)).toEqual(
      expect.arrayContaining([
        "break-glass-user",
        "iam-user-owner-ambiguous",
        "iam-user-unmapped-human",
        "guardrail-scp-off",
      ]),
    );
    const credentials = sweep.body.truth.organization?.credentials as {
      accounts: unknown[];
      problems: unknown[];
    };
    // 34 ACTIVE accounts of the Organization and the 2 outside it, every one readable
    expect(credentials.accounts).toHaveLength(36);
    expect(credentials.problems).toEqual([]);

    // the auditor's export of the day
    const day = sweep.createdAt.slice(0, 10);
    const model = buildExportModel(records, { period: { from: day, to: day } });
    const csv = (exportCsvFiles(model)["long-lived-credentials.csv"] ?? "").trimEnd().split("\r\n");
    expect(csv.filter((line) => line.includes(",sam.taylor,"))).toEqual([
      expect.stringMatching(/,DEPROVISIONED,no,yes,.*,yes$/),
    ]);
    expect(csv).toHaveLength(1 + 10); // a header, jane.doe's two keys, one row for each other holder
    const html = renderReportHtml({
      model,
      verification: {
        ok: true,
        records: records.length,
        anchor: null,
        manifests: [],
        problems: [],
        period: { from: day, to: day },
      } as never,
      generatedAt: sweep.createdAt,
      source: "local",
    });
    expect(html).toContain(
      'Humans holding long-lived credentials: <span class="tag missed">7</span> (target 0)',
    );
  });

  it("attaches the guardrail SCP once the policy turns it on", async () => {
    // Prepare
    const doc = parseDocument(demoPolicyYaml());
    doc.setIn(["credentials", "guardrail"], true);
    const guardrail = new CredentialsGuardrail({
      client: new OrganizationsClient(localClientConfig(stack.url)),
    });
    expect(await guardrail.read(GUARDRAIL_SCP_NAME)).toBeNull();

    // Act
    await stack.setPolicy(doc.toString());
    const run = await stack.runEstateReconcile("estate-sweep-2");

    // Assess
    expect(run?.status).toBe("SUCCEEDED");
    const stored = await guardrail.read(GUARDRAIL_SCP_NAME);
    expect(stored?.attached).toBe(true);
    expect(
      JSON.parse(stored?.content ?? "{}").Statement[0].Condition.ArnNotLike["aws:PrincipalArn"],
    ).toContain(`arn:aws:iam::${DEMO_ACQUIRED.prod.id}:user/break-glass`);
  });
});
