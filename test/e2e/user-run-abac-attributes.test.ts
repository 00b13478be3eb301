import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { type LocalStack, startLocalStack } from "../../local/stack/local-stack.ts";

/*
 * Issue 18 in user runs: a mover in aws-data-engineers (granted the ABAC-scoped DataEngineer) whose
 * Okta profile lacks `team` gets the estate run's `abac-attribute-missing` finding in the user run's
 * evidence; a data engineer with `team` gets none.
 */
describe("user runs report a missing ABAC attribute on the local stack", () => {
  let stack: LocalStack;
  /** A partial profile update: Okta writes `user.account.update_profile`, a mover event. */
  const updateProfile = async (userId: string, profile: Record<string, string>) => {
    const res = await fetch(`${stack.url}/api/v1/users/${userId}`, {
      method: "POST",
      headers: {
        authorization: `SSWS ${stack.emulators.okta.apiToken}`,
        accept: "application/json",
        "content-type": "application/json",
      },
      body: JSON.stringify({ profile }),
    });
    expect(res.status, `POST /api/v1/users/${userId}`).toBeLessThan(300);
  };
  /** The run record of the user's first run, once it exists. */
  const runRecord = async (oktaUserId: string) => {
    for (let i = 0; i < 400; i++) {
      const keys = (await stack.adapters.evidence.list("v1/runs/")).filter(
        (k) => k.includes(oktaUserId) && k.endsWith(".run.json"),
      );
      const [key] = keys;
      if (key !== undefined)
        return JSON.parse(await stack.adapters.evidence.get(key)) as {
          body: { plan: { findings: { kind: string; subject?: Record<string, unknown> }[] } };
        };
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no run for ${oktaUserId}`);
  };
  const abacFindings = (record: Awaited<ReturnType<typeof runRecord>>) =>
    record.body.plan.findings.filter((f) => f.kind === "abac-attribute-missing");

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, hookSecret: randomHookSecret(), pollMs: 5 });
  });
  afterAll(() => stack.stop());

  it("a data engineer without team gets the finding; one with team gets none", async () => {
    // Prepare: one active data engineer without team, one with it (the demo's Okta)
    const okta = stack.estate.okta;
    const engineers = new Set(
      okta.memberships.filter((m) => m.group === "aws-data-engineers").map((m) => m.user),
    );
    const active = okta.users.filter((u) => engineers.has(u.login) && u.status === "ACTIVE");
    const lacking = active.find((u) => !u.profile?.team);
    const complete = active.find((u) => u.profile?.team);
    if (lacking === undefined || complete === undefined)
      throw new Error("the demo changed: no such engineers");
    const oktaUser = (login: string) => {
      const u = stack.emulators.okta.state.user(login);
      if (!u) throw new Error(`no ${login}`);
      return u;
    };
    const without = oktaUser(lacking.login);
    const withTeam = oktaUser(complete.login);

    // Act: a profile edit that leaves team as it is (a mover event for each)
    await updateProfile(without.id, { title: "Data Engineer II" });
    await updateProfile(withTeam.id, { title: "Data Engineer II" });
    await stack.settle();
    const [lackingRun, completeRun] = await Promise.all([runRecord(without.id), runRecord(withTeam.id)]);

    // Assess
    expect(abacFindings(lackingRun).map((f) => f.subject)).toEqual([
      {
        oktaUserId: without.id,
        permissionSet: "DataEngineer",
        oktaGroup: "aws-data-engineers",
        attributes: "team",
      },
    ]);
    expect(abacFindings(completeRun)).toEqual([]);
  });
});
