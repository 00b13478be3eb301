/**
 * Identity Center changes made outside the tool, end to end on the local stack: a call signed by
 * someone else (a person at the console) produces its CloudTrail event on the default bus, the
 * deployed Identity Center trigger rules (workflows/identity-center-triggers.ts) start a scoped estate
 * run through Step Functions, and the run judges that pair alone: it removes an assignment the policy
 * owns and does not grant, writes its evidence, and reads one account instead of the estate. The
 * stack's own calls start nothing.
 */
import {
  CreateAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  PutInlinePolicyToPermissionSetCommand,
  SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { ESTATE_RECONCILE_ARN, type LocalStack } from "../../local/stack/local-stack.ts";
import { startTestStack } from "../support/test-stack.ts";

describe("Identity Center changes made outside the tool start scoped estate runs", () => {
  let stack: LocalStack;
  let person: SSOAdminClient;
  let tool: SSOAdminClient;

  beforeAll(async () => {
    stack = await startTestStack(randomHookSecret(), { pollMs: 5 });
    // A person at the console: any key but the stack's own (local/stack/cloudtrail-caller.ts).
    person = new SSOAdminClient({
      ...localClientConfig(stack.url),
      credentials: { accessKeyId: "console-admin", secretAccessKey: "console-admin" },
    });
    tool = new SSOAdminClient(localClientConfig(stack.url));
  });
  afterAll(async () => {
    person.destroy();
    tool.destroy();
    await stack.stop();
  });

  const estateRuns = () =>
    stack.stepFunctions.executions().filter((e) => e.stateMachineArn === ESTATE_RECONCILE_ARN);
  const ic = () => stack.emulators.identityCenter.snapshot();
  const groupName = (group: unknown) =>
    typeof group === "string"
      ? group
      : (stack.emulators.okta.state.group((group as { id: string }).id)?.name ?? String(group));
  const ancestors = (accountId: string): string[] => {
    const units = stack.estate.organization.units;
    const account = stack.estate.organization.accounts.find((a) => a.id === accountId);
    const chain = [stack.estate.organization.rootId];
    for (let id = account?.parentId; id; id = units.find((u) => u.id === id)?.parentId) chain.push(id);
    return chain;
  };

  /**
   * A (group, permission set) pair some rule declares, and an account no rule of that pair targets:
   * an assignment of the pair there is the policy's (ownership `declared`) and granted by nothing.
   */
  function ungrantedDeclaredPair() {
    const management = stack.estate.organization.managementAccountId;
    for (const rule of stack.policy.rules) {
      const same = stack.policy.rules.filter(
        (r) => groupName(r.group) === groupName(rule.group) && r.permissionSet === rule.permissionSet,
      );
      const account = stack.estate.organization.accounts.find(
        (a) =>
          a.id !== management &&
          (a.status ?? "ACTIVE") === "ACTIVE" &&
          !same.some(
            (r) =>
              r.targets.accounts?.includes(a.id) ||
              r.targets.ous?.some((ou) => ancestors(a.id).includes(ou)) ||
              r.targets.tags !== undefined,
          ),
      );
      const group = ic().groups.find((g) => g.displayName === groupName(rule.group));
      const set = ic().permissionSets.find((p) => p.name === rule.permissionSet);
      if (account && group && set) return { accountId: account.id, groupId: group.groupId, set };
    }
    throw new Error("the demo policy has no declared pair left ungranted on some account");
  }

  /** Active member accounts no rule of (group, permission set name) targets. */
  function ungrantedAccounts(groupId: string, setName: string): string[] {
    const group = ic().groups.find((g) => g.groupId === groupId)?.displayName;
    const same = stack.policy.rules.filter(
      (r) => groupName(r.group) === group && r.permissionSet === setName,
    );
    return stack.estate.organization.accounts
      .filter(
        (a) =>
          a.id !== stack.estate.organization.managementAccountId &&
          (a.status ?? "ACTIVE") === "ACTIVE" &&
          !same.some(
            (r) =>
              r.targets.accounts?.includes(a.id) ||
              r.targets.ous?.some((ou) => ancestors(a.id).includes(ou)) ||
              r.targets.tags !== undefined,
          ),
      )
      .map((a) => a.id);
  }

  async function assign(
    client: SSOAdminClient,
    accountId: string,
    permissionSetArn: string,
    groupId: string,
  ) {
    const created = await client.send(
      new CreateAccountAssignmentCommand({
        InstanceArn: stack.emulators.identityCenter.instanceArn,
        TargetId: accountId,
        TargetType: "AWS_ACCOUNT",
        PermissionSetArn: permissionSetArn,
        PrincipalType: "GROUP",
        PrincipalId: groupId,
      }),
    );
    const requestId = created.AccountAssignmentCreationStatus?.RequestId;
    for (;;) {
      const status = await client.send(
        new DescribeAccountAssignmentCreationStatusCommand({
          InstanceArn: stack.emulators.identityCenter.instanceArn,
          AccountAssignmentCreationRequestId: requestId,
        }),
      );
      if (status.AccountAssignmentCreationStatus?.Status !== "IN_PROGRESS") return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  const holds = (accountId: string, permissionSetArn: string, groupId: string) =>
    ic().assignments.some(
      (a) =>
        a.accountId === accountId && a.permissionSetArn === permissionSetArn && a.principalId === groupId,
    );

  it("a console-made assignment the policy owns and does not grant is removed by a scoped run, with evidence", async () => {
    // Prepare
    const { accountId, groupId, set } = ungrantedDeclaredPair();
    const before = estateRuns().length;
    const calls = (op: string) => ic().calls.ssoAdmin[op] ?? 0;
    const listedBefore = calls("ListPermissionSetsProvisionedToAccount");

    // Act: the assignment, made by someone else
    await assign(person, accountId, set.arn, groupId);
    await stack.idle();

    // Assess: one scoped run, started by the rule, judged the pair and removed the assignment
    const runs = estateRuns().slice(before);
    expect(runs).toHaveLength(1);
    const run = runs[0];
    expect(run?.status).toBe("SUCCEEDED");
    const input = JSON.parse(String(run?.input));
    expect(input.runId).toMatch(/^sso-[0-9a-f-]{36}$/);
    expect(input.trigger).toEqual({
      type: "identity-center-event",
      eventName: "CreateAccountAssignment",
      accountId,
      permissionSetArn: set.arn,
    });
    expect(holds(accountId, set.arn, groupId)).toBe(false);
    // One account read (two ListPermissionSetsProvisionedToAccount calls), not every account
    expect(calls("ListPermissionSetsProvisionedToAccount") - listedBefore).toBe(2);

    const key = (await stack.adapters.evidence.list("v1/runs/")).find((k) =>
      k.endsWith(`${input.runId}.estate.json`),
    );
    expect(key).toBeDefined();
    const record = JSON.parse(await stack.adapters.evidence.get(String(key)));
    expect(record.body.trigger).toEqual(input.trigger);
    const deletion = record.body.actions.find(
      (a: { kind: string; status: string }) => a.kind === "assignment.delete",
    );
    expect(deletion?.status).toBe("SUCCEEDED");
    expect(record.body.plan.actions).toHaveLength(1);
    // A scoped run writes no access snapshot: it read a pair, not the estate
    const snapshots = (await stack.adapters.evidence.list("v1/runs/")).filter((k) =>
      k.endsWith(`${input.runId}.snapshot.json`),
    );
    expect(snapshots).toEqual([]);
  });

  it("a burst of console edits in several accounts is judged by the window's run for every pair, and all are removed", async () => {
    // Prepare: the same owned, ungranted pair in three accounts no rule of it targets
    const { groupId, set } = ungrantedDeclaredPair();
    const accounts = ungrantedAccounts(groupId, set.name).slice(0, 3);
    expect(accounts).toHaveLength(3);
    const before = estateRuns().length;

    // Act: three hand-made assignments at once
    await Promise.all(accounts.map((accountId) => assign(person, accountId, set.arn, groupId)));
    await stack.idle();

    // Assess: whether the runs were folded into one window's run or not, every pair was judged
    expect(accounts.filter((accountId) => holds(accountId, set.arn, groupId))).toEqual([]);
    const runs = estateRuns().slice(before);
    expect(runs.map((r) => r.status).every((s) => s === "SUCCEEDED")).toBe(true);
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.length).toBeLessThanOrEqual(3);
  });

  it("the stack's own assignment calls start no run", async () => {
    // Prepare
    const { accountId, groupId, set } = ungrantedDeclaredPair();
    const before = estateRuns().length;

    // Act: the same call, signed with the stack's key
    await assign(tool, accountId, set.arn, groupId);
    await stack.idle();

    // Assess
    expect(estateRuns()).toHaveLength(before);
    expect(holds(accountId, set.arn, groupId)).toBe(true);
  });

  it("an inline policy edited at the console starts a run scoped to that permission set, which reads no assignments", async () => {
    // Prepare
    const set = ic().permissionSets[0];
    if (!set) throw new Error("no permission set in the demo");
    const before = estateRuns().length;
    const listed = ic().calls.ssoAdmin.ListAccountAssignments ?? 0;

    // Act
    await person.send(
      new PutInlinePolicyToPermissionSetCommand({
        InstanceArn: stack.emulators.identityCenter.instanceArn,
        PermissionSetArn: set.arn,
        InlinePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
        }),
      }),
    );
    await stack.idle();

    // Assess
    const runs = estateRuns().slice(before);
    expect(runs.map((r) => r.status)).toEqual(["SUCCEEDED"]);
    expect(JSON.parse(String(runs[0]?.input)).trigger).toEqual({
      type: "identity-center-event",
      eventName: "PutInlinePolicyToPermissionSet",
      permissionSetArn: set.arn,
    });
    expect(ic().calls.ssoAdmin.ListAccountAssignments ?? 0).toBe(listed);
  });
});
