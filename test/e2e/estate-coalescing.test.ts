/**
 * Bulk-tagging accounts on the local stack: each TagResource's CloudTrail event starts an estate run
 * through the account-tagged rule, and the runs of one window fold into one
 * (core/dispatch/estate-window.ts), which reads the estate after the window closed and so sees every
 * tag. Issue 15: N tagged accounts used to start N full estate runs at once.
 */
import { OrganizationsClient, TagResourceCommand } from "@aws-sdk/client-organizations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { parseEvidenceRecord } from "../../core/evidence/record.ts";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { demoPolicyYaml } from "../../local/estate/demo-estate.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { ESTATE_RECONCILE_ARN, type LocalStack, startLocalStack } from "../../local/stack/local-stack.ts";

const WINDOW_MS = 3_000;
const TAGGED = 20;

describe("estate runs started by a burst of events", () => {
  let stack: LocalStack;
  let organizations: OrganizationsClient;
  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      hookSecret: randomHookSecret(),
      pollMs: 5,
      estateCoalesceWindowMs: WINDOW_MS,
    });
    organizations = new OrganizationsClient(localClientConfig(stack.url));
  });
  afterAll(async () => {
    organizations.destroy();
    await stack.stop();
  });

  const estateRuns = () =>
    stack.stepFunctions.executions().filter((e) => e.stateMachineArn === ESTATE_RECONCILE_ARN);
  const hasBilling = (accountId: string) => {
    const ic = stack.emulators.identityCenter.snapshot();
    const billing = ic.permissionSets.find((p) => p.name === "BillingViewer")?.arn;
    return ic.assignments.some((a) => a.accountId === accountId && a.permissionSetArn === billing);
  };

  it(`${TAGGED} accounts tagged within a window start one estate run, which gives every one of them access`, async () => {
    // Prepare: a rule for accounts tagged cost-owner=finance, which none is yet
    const doc = parseDocument(demoPolicyYaml());
    doc.addIn(["rules"], {
      name: "finance-billing",
      group: "aws-billing",
      permissionSet: "BillingViewer",
      targets: { tags: { "cost-owner": "finance" } },
    });
    // Tagging 20 accounts widens the rule by 20: the grant guard (default 10) would rightly stop it.
    doc.setIn(["guards", "maxRuleWidening"], TAGGED);
    await (await stack.setPolicy(doc.toString())).execution.done;
    const management = stack.estate.organization.managementAccountId;
    const accounts = stack.estate.organization.accounts
      .map((a) => a.id)
      .filter((id) => id !== management && !hasBilling(id))
      .slice(0, TAGGED);
    expect(accounts).toHaveLength(TAGGED);
    const before = estateRuns().length;
    // Start just after a window begins, so the burst cannot straddle two windows.
    await new Promise((r) => setTimeout(r, WINDOW_MS - (Date.now() % WINDOW_MS) + 50));

    // Act: the bulk tagging, through the real Organizations client
    await Promise.all(
      accounts.map((accountId) =>
        organizations.send(
          new TagResourceCommand({ ResourceId: accountId, Tags: [{ Key: "cost-owner", Value: "finance" }] }),
        ),
      ),
    );
    await stack.idle();

    // Assess: one execution per event, all succeeded, one of them ran and the others folded into it
    const runs = estateRuns().slice(before);
    expect(runs).toHaveLength(TAGGED);
    expect(runs.every((r) => r.status === "SUCCEEDED")).toBe(true);
    const outputs = runs.map((r) => JSON.parse(String(r.output)) as { runId: string; coalescing: unknown });
    const ran = outputs.filter((o) => "plan" in o);
    expect(ran).toHaveLength(1);
    const owner = ran[0]?.runId;
    expect(outputs.filter((o) => o.runId !== owner).map((o) => o.coalescing)).toEqual(
      Array.from({ length: TAGGED - 1 }, () => expect.objectContaining({ coalesced: true, into: owner })),
    );
    // it saw every tag
    expect(accounts.filter((id) => !hasBilling(id))).toEqual([]);
    // and its evidence names all twenty triggers
    const key = (await stack.adapters.evidence.list("v1/runs/")).find((k) =>
      k.endsWith(`${owner}.estate.json`),
    );
    const parsed = parseEvidenceRecord(JSON.parse(await stack.adapters.evidence.get(String(key))));
    if (!parsed.success || parsed.data.kind !== "estate-run")
      throw new Error(`no estate evidence for ${owner}`);
    const body = parsed.data.body;
    const triggered = [body.trigger, ...(body.coalescedTriggers ?? [])].map((t) =>
      t.type === "account-event" ? t.accountId : t.type,
    );
    expect(triggered.sort()).toEqual([...accounts].sort());
  }, 120_000);
});
