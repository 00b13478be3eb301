/**
 * The estate triggers on the local stack, end to end: Organizations calls made through the real SDK
 * produce CloudTrail events, the forwarding rule brings them to the lifecycle bus, the deployed trigger
 * rules (workflows/estate-triggers.ts) start estate runs through Step Functions, and the runs give the
 * accounts their assignments. `setPolicy` swaps the policy and starts a policy-change run. Nothing here
 * calls `runEstateReconcile`.
 */
import { createHash } from "node:crypto";
import {
  CreateAccountCommand,
  MoveAccountCommand,
  OrganizationsClient,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-organizations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { demoPolicyYaml } from "../../local/estate/demo-estate.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { ESTATE_RECONCILE_ARN, type LocalStack, startLocalStack } from "../../local/stack/local-stack.ts";
import { InvalidPolicyError } from "../../local/stack/policy-update.ts";
import { createdAccount } from "../support/created-account.ts";

describe("estate triggers on the local stack", () => {
  let stack: LocalStack;
  let organizations: OrganizationsClient;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, hookSecret: randomHookSecret(), pollMs: 5 });
    organizations = new OrganizationsClient(localClientConfig(stack.url));
  });
  afterAll(async () => {
    organizations.destroy();
    await stack.stop();
  });

  const estateRuns = () =>
    stack.stepFunctions.executions().filter((e) => e.stateMachineArn === ESTATE_RECONCILE_ARN);
  const unit = (name: string) => {
    const found = stack.estate.organization.units.find((u) => u.name === name);
    if (!found) throw new Error(`no OU ${name} in the demo`);
    return found.id;
  };
  /** (group, permission set) names of every assignment on an account, sorted. */
  const assignmentsOn = (accountId: string) => {
    const ic = stack.emulators.identityCenter.snapshot();
    const group = new Map(ic.groups.map((g) => [g.groupId, g.displayName]));
    const set = new Map(ic.permissionSets.map((p) => [p.arn, p.name]));
    return ic.assignments
      .filter((a) => a.accountId === accountId && a.principalType === "GROUP")
      .map((a) => `${group.get(a.principalId)} ${set.get(a.permissionSetArn)}`)
      .sort();
  };
  /** What the policy's OU rules give an account under `ous` (the root and its OU chain). */
  /** A rule's group name: the demo policy names a group an APP_GROUP shares the name of by id. */
  const groupName = (group: unknown) =>
    typeof group === "string"
      ? group
      : (stack.emulators.okta.state.group((group as { id: string }).id)?.name ?? String(group));
  const expectedFor = (ous: string[]) =>
    stack.policy.rules
      .filter((r) => r.targets.ous?.some((ou) => ous.includes(ou)))
      .map((r) => `${groupName(r.group)} ${r.permissionSet}`)
      .sort();
  /** The trigger recorded in a run's estate evidence. */
  const recordedTrigger = async (runName: string) => {
    const key = (await stack.adapters.evidence.list("v1/runs/")).find((k) =>
      k.endsWith(`${runName}.estate.json`),
    );
    if (!key) throw new Error(`no estate evidence for ${runName}`);
    return JSON.parse(await stack.adapters.evidence.get(key)).body.trigger;
  };
  const runFor = (trigger: Record<string, unknown>) =>
    estateRuns().find((e) => JSON.stringify(JSON.parse(e.input).trigger) === JSON.stringify(trigger));

  it("an account moved into a targeted OU gets its assignments by itself (MoveAccount)", async () => {
    // Prepare: an account in the Sandbox OU, put there directly (no event, no assignments yet)
    const accountId = "100000000077";
    const [sandbox, prod, root] = [unit("Sandbox"), unit("Prod"), stack.estate.organization.rootId];
    stack.emulators.organizations.seed.account({
      id: accountId,
      name: "moved-in",
      email: "moved-in@example.com",
      parentId: sandbox,
    });
    const before = estateRuns().length;

    // Act: the move, through the real Organizations client
    await organizations.send(
      new MoveAccountCommand({ AccountId: accountId, SourceParentId: sandbox, DestinationParentId: prod }),
    );
    await stack.idle();

    // Assess
    const trigger = { type: "account-event", accountId, eventName: "MoveAccount" };
    expect(estateRuns()).toHaveLength(before + 1);
    const run = runFor(trigger);
    expect(run?.status).toBe("SUCCEEDED");
    expect(run?.name).not.toMatch(/^estate-/); // started by the rule, not by runEstateReconcile
    expect(assignmentsOn(accountId)).toEqual(expectedFor([root, unit("Workloads"), prod]));
    expect(assignmentsOn(accountId)).toContain("aws-developers ReadOnly");
    const input = JSON.parse(String(run?.input));
    expect(input.runId).toMatch(/^account-moved-[0-9a-f-]{36}$/);
    expect(await recordedTrigger(input.runId)).toEqual(trigger);
  });

  it("a created account gets the assignments of the rules that target the root (CreateAccountResult)", async () => {
    // Act
    const created = await organizations.send(
      new CreateAccountCommand({ AccountName: "brand-new", Email: "brand-new@example.com" }),
    );
    const accountId = String(
      (await createdAccount(organizations, created.CreateAccountStatus?.Id)).AccountId,
    );
    await stack.idle();

    // Assess: CreateAccount puts the account under the root, which the demo's org-wide rules target
    const trigger = { type: "account-event", accountId, eventName: "CreateAccountResult" };
    const run = runFor(trigger);
    expect(run?.status).toBe("SUCCEEDED");
    const expected = expectedFor([stack.estate.organization.rootId]);
    expect(expected.length).toBeGreaterThan(0);
    expect(assignmentsOn(accountId)).toEqual(expected);
    expect(await recordedTrigger(JSON.parse(String(run?.input)).runId)).toEqual(trigger);
  });

  it("tagging an OU starts no run", async () => {
    const before = estateRuns().length;
    await organizations.send(
      new TagResourceCommand({ ResourceId: unit("Prod"), Tags: [{ Key: "tier", Value: "1" }] }),
    );
    await stack.idle();
    expect(estateRuns()).toHaveLength(before);
    expect(stack.bus.delivered().filter((d) => d.rule.startsWith("estate-on-") && !d.ok)).toEqual([]);
  });

  it("setPolicy with a new rule starts a policy-change run that creates its assignments", async () => {
    // Prepare: the demo policy plus a rule for the Sandbox OU
    const doc = parseDocument(demoPolicyYaml());
    doc.addIn(["rules"], {
      name: "data-engineers-sandbox",
      group: "aws-data-engineers",
      permissionSet: "DataEngineer",
      targets: { ous: [unit("Sandbox")] },
    });
    const yaml = doc.toString();
    const sandboxAccounts = stack.emulators.organizations
      .snapshot()
      .accounts.filter((a) => a.parentId === unit("Sandbox"))
      .map((a) => a.id);
    expect(sandboxAccounts.length).toBeGreaterThan(0);
    expect(sandboxAccounts.every((a) => !assignmentsOn(a).includes("aws-data-engineers DataEngineer"))).toBe(
      true,
    );

    // Act
    const run = await stack.setPolicy(yaml);
    await run.execution.done;
    await stack.idle();

    // Assess
    const revision = createHash("sha256").update(yaml).digest("hex").slice(0, 12);
    expect(run.revision).toBe(revision);
    expect(run.execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(run.execution.input).trigger).toEqual({ type: "policy-change", revision });
    expect(stack.policy.rules.map((r) => r.name)).toContain("data-engineers-sandbox");
    for (const accountId of sandboxAccounts)
      expect(assignmentsOn(accountId)).toContain("aws-data-engineers DataEngineer");
    expect(await recordedTrigger(run.runId)).toEqual({ type: "policy-change", revision });
  });

  it("tagging an account into a tag-targeted rule gives it the rule's access; untagging takes it away", async () => {
    // Prepare: a rule for accounts tagged cost-owner=finance (none is yet)
    const doc = parseDocument(demoPolicyYaml());
    doc.addIn(["rules"], {
      name: "finance-billing",
      group: "aws-billing",
      permissionSet: "BillingViewer",
      targets: { tags: { "cost-owner": "finance" } },
    });
    await (await stack.setPolicy(doc.toString())).execution.done;
    const accountId = "100000000077";
    expect(assignmentsOn(accountId)).not.toContain("aws-billing BillingViewer");

    // Act / Assess: tag
    await organizations.send(
      new TagResourceCommand({ ResourceId: accountId, Tags: [{ Key: "cost-owner", Value: "finance" }] }),
    );
    await stack.idle();
    expect(runFor({ type: "account-event", accountId, eventName: "TagResource" })?.status).toBe("SUCCEEDED");
    expect(assignmentsOn(accountId)).toContain("aws-billing BillingViewer");

    // Act / Assess: untag
    await organizations.send(new UntagResourceCommand({ ResourceId: accountId, TagKeys: ["cost-owner"] }));
    await stack.idle();
    expect(runFor({ type: "account-event", accountId, eventName: "UntagResource" })?.status).toBe(
      "SUCCEEDED",
    );
    expect(assignmentsOn(accountId)).not.toContain("aws-billing BillingViewer");
  });

  it.each([
    ["broken YAML", "version: 1\nrules: [\n", /policy\.yaml:\d+:\d+ \(syntax\)/],
    [
      "an unknown permission set",
      demoPolicyYaml().replace("permissionSet: PlatformAdmin", "permissionSet: NoSuchSet"),
      /policy\.yaml:\d+:\d+ rules\[0\]\.permissionSet /,
    ],
  ])("setPolicy with %s throws the errors and changes nothing", async (_what, yaml, expected) => {
    // Prepare
    const policy = stack.policy;
    const runs = stack.stepFunctions.executions().length;
    // Act
    const attempt = stack.setPolicy(yaml);
    // Assess
    await expect(attempt).rejects.toThrow(InvalidPolicyError);
    await expect(attempt).rejects.toThrow(expected);
    expect(stack.policy).toBe(policy);
    expect(stack.stepFunctions.executions()).toHaveLength(runs);
  });
});
