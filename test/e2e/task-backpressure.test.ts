import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EstateFile } from "../../local/estate/schema.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { oktaAdmin } from "../support/local-okta.ts";
import { startTestStack } from "../support/test-stack.ts";

/*
 * Issue 17 (Benchmarks): on a loaded laptop a burst of runs used to start every task at once and run
 * out of time behind the interpreter. The local Step Functions now runs at most `maxConcurrentTasks`
 * Lambda tasks at once and queues the rest (local/runtime/task-concurrency.ts): slower, never lossy.
 */

const SECRET = randomHookSecret();
const LEAVERS = 20;
const logins = Array.from({ length: LEAVERS }, (_, i) => `leaver${i}@example.com`);

const estate = EstateFile.parse({
  organization: {
    managementAccountId: "999999999999",
    rootId: "r-bp01",
    units: [{ id: "ou-bp01-workload", name: "Workloads", parentId: "r-bp01" }],
    accounts: [
      { id: "999999999999", name: "management", parentId: "r-bp01" },
      { id: "200000000001", name: "workload-1", parentId: "ou-bp01-workload" },
      { id: "200000000002", name: "workload-2", parentId: "ou-bp01-workload" },
    ],
  },
  okta: {
    users: logins.map((login, i) => ({ login, firstName: "Lea", lastName: `Ver${i}`, status: "ACTIVE" })),
    groups: [{ name: "aws-engineers" }],
    memberships: logins.map((user) => ({ group: "aws-engineers", user })),
  },
  identityCenter: {
    permissionSets: [{ name: "DeveloperAccess", sessionDuration: "PT4H" }],
    assignments: [{ group: "aws-engineers", permissionSet: "DeveloperAccess", ous: ["ou-bp01-workload"] }],
  },
});
const POLICY = `version: 1
managementAccountId: "999999999999"
permissionSets: { DeveloperAccess: { sessionDuration: PT4H } }
rules:
  - { name: engineers, group: aws-engineers, permissionSet: DeveloperAccess, targets: { ous: [ou-bp01-workload] } }
`;

describe("local Step Functions backpressure: at most 2 tasks at once", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startTestStack(SECRET, {
      estate,
      policyYaml: POLICY,
      maxConcurrentTasks: 2,
      holdSeconds: 1,
    });
  });
  afterAll(() => stack.stop());

  it("20 leavers at once: every run succeeds, the tasks took turns, every membership is gone", {
    timeout: 300_000,
  }, async () => {
    // Prepare
    const users = logins.map((login) => stack.emulators.okta.state.user(login));
    const icUserIds = new Set(
      stack.emulators.identityCenter
        .snapshot()
        .users.filter((u) => logins.includes(u.userName ?? ""))
        .map((u) => u.userId),
    );
    expect(icUserIds.size).toBe(LEAVERS);

    // Act: HR deactivates all twenty at once
    await Promise.all(
      users.map((u) => oktaAdmin(stack, "POST", `/api/v1/users/${u?.id}/lifecycle/deactivate`)),
    );
    const deadline = Date.now() + 240_000;
    const leaverRuns = () =>
      stack.stepFunctions.executions().filter((e) => users.some((u) => u && e.name.includes(u.id)));
    while (leaverRuns().length < LEAVERS && Date.now() < deadline) {
      await stack.settle();
      await new Promise((r) => setTimeout(r, 200));
    }
    await stack.stepFunctions.idle();

    // Assess
    const runs = leaverRuns();
    expect(runs).toHaveLength(LEAVERS);
    expect(
      runs.filter((e) => e.status !== "SUCCEEDED").map((e) => `${e.name} ${e.error}: ${e.cause}`),
    ).toEqual([]);
    const slots = stack.stepFunctions.taskConcurrency;
    expect(slots.limit).toBe(2);
    expect(slots.peak).toBeLessThanOrEqual(2);
    expect(slots.queued).toBeGreaterThan(0);
    const memberships = stack.emulators.identityCenter.snapshot().memberships;
    expect(memberships.filter((m) => icUserIds.has(m.userId))).toEqual([]);
  });
});
