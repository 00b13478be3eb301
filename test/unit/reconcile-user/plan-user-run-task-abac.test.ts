import { describe, expect, it } from "vitest";
import type { UserTruth } from "../../../core/plan/user-truth.ts";
import { PolicyDocument } from "../../../core/policy/schema.ts";
import { planUserRunTask } from "../../../usecases/reconcile-user/plan-user-run-task.ts";
import type { UserRunState } from "../../../usecases/reconcile-user/run-state.ts";

/* Issue 18: the user run's plan reports a joiner/mover lacking an attribute an ABAC-scoped set compares. */

const NOW = "2026-12-07T04:00:00.000Z";
const policy = PolicyDocument.parse({
  version: 1,
  abac: { attributes: [{ key: "team", oktaAttribute: "team" }] },
  permissionSets: {
    DataEngineer: { abac: { attributes: ["team"], canaryActions: ["athena:StartQueryExecution"] } },
  },
  rules: [
    {
      name: "data",
      group: "aws-data-engineers",
      permissionSet: "DataEngineer",
      targets: { accounts: ["111111111111"] },
    },
  ],
});

const truth = (abacAttributes: Record<string, string | null> | undefined): UserTruth => ({
  observedAt: NOW,
  okta: {
    found: true,
    status: "ACTIVE",
    login: "dana@example.com",
    groups: [{ id: "00gdata", name: "aws-data-engineers", type: "OKTA_GROUP" }],
    ...(abacAttributes === undefined ? {} : { abacAttributes }),
  },
  identityCenter: {
    instanceArn: "arn:aws:sso:::instance/ssoins-1",
    identityStoreId: "d-1234567890",
    userId: null,
    userName: null,
    memberships: [],
    directAssignments: [],
    groupAssignments: [],
    denies: [],
  },
});

const state = (t: UserTruth): UserRunState => ({
  runId: "run-abac",
  user: { id: "00udana", login: "dana@example.com" },
  trigger: {
    channel: "hook",
    receivedAt: NOW,
    event: {
      kind: "joiner",
      subject: "user",
      eventType: "group.user_membership.add",
      oktaEventId: "evt-1",
      published: NOW,
      actor: null,
      outcome: "SUCCESS",
      user: { id: "00udana", login: "dana@example.com" },
      group: { id: "00gdata", name: "aws-data-engineers" },
    },
  },
  truth: t,
});

const plan = (t: UserTruth, withPolicy = policy) =>
  planUserRunTask({
    holdMs: 3_600_000,
    membershipSync: false,
    sessionTagAttributes: [],
    policy: withPolicy,
    now: () => NOW,
  })(state(t));

describe("planUserRunTask: ABAC attributes", () => {
  it("reports a joiner in a group granted an ABAC-scoped set whose Okta profile lacks the attribute", async () => {
    // Act
    const result = await plan(truth({ team: null }));

    // Assess
    const missing = result.findings.filter((f) => f.kind === "abac-attribute-missing");
    expect(missing.map((f) => f.subject)).toEqual([
      {
        oktaUserId: "00udana",
        permissionSet: "DataEngineer",
        oktaGroup: "aws-data-engineers",
        attributes: "team",
      },
    ]);
    expect(missing[0]?.message).toContain("dana@example.com is in aws-data-engineers");
  });

  it("reports nothing for a user with the attribute, or under a policy without abac", async () => {
    const complete = await plan(truth({ team: "payments" }));
    const noAbac = await plan(truth({ team: null }), { ...policy, abac: undefined });
    expect(complete.findings.filter((f) => f.kind === "abac-attribute-missing")).toEqual([]);
    expect(noAbac.findings.filter((f) => f.kind === "abac-attribute-missing")).toEqual([]);
  });

  it("counts an attribute the truth did not read (an older run's truth) as missing", async () => {
    const result = await plan(truth(undefined));
    const missing = result.findings.filter((f) => f.kind === "abac-attribute-missing");
    expect(missing.map((f) => f.subject.attributes)).toEqual(["team"]);
  });
});
