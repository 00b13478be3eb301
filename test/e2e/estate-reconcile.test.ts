import { DeleteAccountAssignmentCommand, SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { type LocalStack, startLocalStack } from "../../local/stack/local-stack.ts";
import { reconcileEstate } from "../../usecases/reconcile-estate/reconcile-estate.ts";

const manual = { type: "manual" as const, requestedBy: "e2e" };

describe("estate reconcile on the local stack", () => {
  let stack: LocalStack;
  let run = 0;
  const reconcile = (apply: boolean, extra: { allowDeletes?: number } = {}, deps = {}) =>
    reconcileEstate(
      { ...stack.estateDeps(`estate-${++run}`), ...deps },
      { apply, trigger: manual, ...extra },
    );

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, hookSecret: randomHookSecret(), pollMs: 5 });
  });
  afterAll(() => stack.stop());

  it("finds nothing to change in the untouched demo estate, and reads only provisioned pairs", async () => {
    stack.emulators.identityCenter.resetCallCounts();
    const result = await reconcile(false);
    expect(result.plan.status).toBe("ready");
    expect(result.plan.actions).toEqual([]);
    const calls = stack.emulators.identityCenter.snapshot().calls.ssoAdmin;
    const provisioned = stack.emulators.identityCenter.snapshot().provisioned.length;
    expect(calls.ListAccountAssignments).toBe(provisioned);
  });

  it("repairs drift (a deleted assignment, a hand-made one, a direct user assignment is reported) and converges", async () => {
    // Prepare: drift made by hand through the real API
    const ic = stack.emulators.identityCenter;
    const snap = ic.snapshot();
    const victim = snap.assignments.find((a) => a.principalType === "GROUP");
    if (!victim) throw new Error("no group assignment in the demo");
    const sso = new SSOAdminClient(localClientConfig(stack.url));
    await sso.send(
      new DeleteAccountAssignmentCommand({
        InstanceArn: snap.instanceArn,
        TargetId: victim.accountId,
        TargetType: "AWS_ACCOUNT",
        PermissionSetArn: victim.permissionSetArn,
        PrincipalType: "GROUP",
        PrincipalId: victim.principalId,
      }),
    );
    const devs = snap.groups.find((g) => g.displayName === "aws-developers");
    const admin = snap.permissionSets.find((p) => p.name === "PlatformAdmin");
    const account = stack.estate.organization.accounts.find((a) => a.name.endsWith("-dev"));
    ic.seed.assignment({
      accountId: String(account?.id),
      permissionSetArn: String(admin?.arn),
      principalType: "GROUP",
      principalId: String(devs?.groupId),
    });
    const john = snap.users.find((u) => u.userName === "john.smith@example.com");
    ic.seed.assignment({
      accountId: String(account?.id),
      permissionSetArn: String(admin?.arn),
      principalType: "USER",
      principalId: String(john?.userId),
    });
    await new Promise((r) => setTimeout(r, 20));

    // Act
    const result = await reconcile(true, { allowDeletes: 5 });

    // Assess
    expect(result.applied).toBe(true);
    expect(result.outcomes.every((o) => o.status === "SUCCEEDED")).toBe(true);
    const kinds = result.plan.actions.map((a) => a.kind);
    expect(kinds).toContain("assignment.create");
    expect(result.plan.findings.map((f) => f.kind)).toContain("direct-user-assignment");
    const after = await reconcile(false);
    expect(after.plan.actions).toEqual([]);
    expect(result.evidence.map((e) => e.key)).toEqual([
      expect.stringContaining("v1/runs/"),
      expect.stringContaining("v1/snapshots/"),
    ]);
  });

  it("gives a new account moved into a targeted OU its assignments", async () => {
    const orgs = stack.emulators.organizations;
    const prodOu = stack.estate.organization.units.find((u) => u.name === "Prod");
    orgs.seed.account({
      id: "100000000099",
      name: "new-prod",
      email: "new@example.com",
      parentId: String(prodOu?.id),
    });
    const result = await reconcile(true);
    const created = result.plan.actions.filter(
      (a) => a.kind === "assignment.create" && a.assignment.accountId === "100000000099",
    );
    expect(created.length).toBeGreaterThan(0);
    expect(
      stack.emulators.identityCenter.snapshot().assignments.filter((a) => a.accountId === "100000000099"),
    ).toHaveLength(created.length);
  });

  it("blocks a mass delete (a policy that drops most rules) and applies nothing", async () => {
    const before = stack.emulators.identityCenter.snapshot().assignments.length;
    const policy = {
      ...stack.policy,
      rules: stack.policy.rules.slice(0, 1),
      ownership: { ...stack.policy.ownership, scope: "permission-sets" as const },
    };
    const result = await reconcileEstate(
      { ...stack.estateDeps(`estate-${++run}`, { policy }) },
      { apply: true, trigger: manual },
    );
    expect(result.plan.status).toBe("blocked");
    expect(result.plan.violations.map((v) => v.guard)).toContain("max-deletes");
    expect(result.applied).toBe(false);
    expect(stack.emulators.identityCenter.snapshot().assignments).toHaveLength(before);
  });

  it("changes nothing when Okta is down (5xx) or a group reads empty", async () => {
    const before = stack.emulators.identityCenter.snapshot();
    stack.emulators.okta.faults.serverErrorRate = 1;
    await expect(reconcile(true)).rejects.toThrow();
    stack.emulators.okta.faults.serverErrorRate = 0;

    const group = stack.emulators.okta.state.groupNamed("aws-developers");
    const members = stack.emulators.okta.state.memberIds(String(group?.id));
    for (const id of members) {
      const user = stack.emulators.okta.state.user(id);
      if (group && user) stack.emulators.okta.state.removeMember(group, user);
    }
    const result = await reconcile(true);
    expect(result.plan.violations.map((v) => v.guard)).toContain("empty-okta-group");
    const after = stack.emulators.identityCenter.snapshot();
    expect(after.assignments).toEqual(before.assignments);
    expect(after.memberships).toEqual(before.memberships);
  });
});

describe("the estate-reconcile workflow (Step Functions definition) on the local stack", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, hookSecret: randomHookSecret(), pollMs: 5 });
  });
  afterAll(() => stack.stop());

  it("repairs a deleted assignment in batches and writes the run record and snapshot", async () => {
    // Prepare: drift
    const ic = stack.emulators.identityCenter;
    const victim = ic.snapshot().assignments.find((a) => a.principalType === "GROUP");
    if (!victim) throw new Error("no assignment");
    await stack.adapters.identityCenter.deleteAssignment(victim);
    await new Promise((r) => setTimeout(r, 20));
    // Act
    const run = await stack.runEstateReconcile("estate-wf-1");
    // Assess
    expect(run?.status).toBe("SUCCEEDED");
    expect(ic.snapshot().assignments).toContainEqual(victim);
    const keys = await stack.adapters.evidence.list("v1/");
    // The demo's access snapshot is large enough to go to its own gzipped JSON Lines object.
    expect(keys.filter((k) => k.includes("estate-wf-1"))).toEqual([
      expect.stringMatching(/^v1\/runs\/.*estate-wf-1\.estate\.json$/),
      // the run's last step sweeps IAM credentials outside Identity Center (issue 16): its own record
      expect.stringMatching(/^v1\/runs\/.*estate-wf-1\.credentials\.json$/),
      expect.stringMatching(/^v1\/snapshots\/.*estate-wf-1\.jsonl\.gz$/),
      expect.stringMatching(/^v1\/snapshots\/.*estate-wf-1\.snapshot\.json$/),
    ]);
    const record = JSON.parse(
      await stack.adapters.evidence.get(String(keys.find((k) => k.endsWith("estate-wf-1.estate.json")))),
    );
    expect(record.body.actions).toEqual([
      expect.objectContaining({ kind: "assignment.create", status: "SUCCEEDED" }),
    ]);
  });
});
