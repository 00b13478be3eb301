import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveRuleAccounts } from "../../core/policy/resolve-targets.ts";
import type { AwsBehaviourSwitches } from "../../local/emulators/aws-behaviour-switches.ts";
import { estateOrganization } from "../../local/estate/expand-assignments.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { createDenyProver } from "../../local/runtime/deny-prover.ts";
import { type LocalStack, startLocalStack } from "../../local/stack/local-stack.ts";

/**
 * Whether ListAccountAssignmentsForPrincipal lists a USER's group-inherited items is undocumented
 * (docs/aws-behaviour.md, listForPrincipalIncludesInherited): a mover's runs must be right under both.
 */
const SWITCH_SETTINGS: [string, Partial<AwsBehaviourSwitches>][] = [
  ["only direct items listed", {}],
  ["inherited items listed", { listForPrincipalIncludesInherited: true }],
];

describe.each(SWITCH_SETTINGS)("joiners and movers on the local stack (%s)", (_, awsBehaviour) => {
  let stack: LocalStack;
  const okta = async (method: string, path: string) => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `SSWS ${stack.emulators.okta.apiToken}`, accept: "application/json" },
    });
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
  };
  const user = (login: string) => {
    const u = stack.emulators.okta.state.user(login);
    if (!u) throw new Error(`no ${login}`);
    return u;
  };
  const group = (name: string) => {
    const g = stack.emulators.okta.state.groupNamed(name);
    if (!g) throw new Error(`no ${name}`);
    return g;
  };
  /** Run records of the user's runs, once `count` of them exist. */
  const runRecords = async (oktaUserId: string, count: number) => {
    for (let i = 0; i < 400; i++) {
      const keys = (await stack.adapters.evidence.list("v1/runs/")).filter(
        (k) => k.includes(oktaUserId) && k.endsWith(".run.json"),
      );
      if (keys.length >= count)
        return Promise.all(keys.map(async (k) => JSON.parse(await stack.adapters.evidence.get(k))));
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`fewer than ${count} runs for ${oktaUserId}`);
  };
  /** (permission set name, account) pairs a user reaches in Identity Center. */
  const access = (login: string) => {
    const ic = stack.emulators.identityCenter.snapshot();
    const id = ic.users.find((u) => u.userName === login)?.userId;
    const groups = new Set(ic.memberships.filter((m) => m.userId === id).map((m) => m.groupId));
    const names = new Map(ic.permissionSets.map((p) => [p.arn, p.name]));
    return new Set(
      ic.assignments
        .filter((a) => groups.has(a.principalId) || a.principalId === id)
        .map((a) => `${names.get(a.permissionSetArn)}|${a.accountId}`),
    );
  };
  const icUserId = (login: string) =>
    String(stack.emulators.identityCenter.snapshot().users.find((u) => u.userName === login)?.userId);

  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      hookSecret: randomHookSecret(),
      holdSeconds: 600,
      pollMs: 5,
      // Short coalescing windows keep the trailing runs of the burst test quick.
      coalesceWindowMs: 500,
      awsBehaviour,
    });
  });
  afterAll(() => stack.stop());

  it("a joiner gets exactly the policy's access", async () => {
    // Prepare: Omar is STAGED, already in his team's groups
    const omar = user("omar.haddad@example.com");
    expect(access("omar.haddad@example.com").size).toBe(0);
    // Act
    await okta("POST", `/api/v1/users/${omar.id}/lifecycle/activate?sendEmail=false`);
    await stack.settle();
    const [record] = await runRecords(omar.id, 1);
    // Assess: what the policy grants his Okta groups, and nothing else
    const groups = stack.emulators.okta.state.groupsOf(omar.id).map((g) => g.name);
    const expected = new Set(
      stack.policy.rules
        .filter((r) => typeof r.group === "string" && groups.includes(r.group))
        .flatMap((r) =>
          resolveRuleAccounts(r, estateOrganization(stack.estate)).accountIds.map(
            (a) => `${r.permissionSet}|${a}`,
          ),
        ),
    );
    expect(expected.size).toBeGreaterThan(0);
    expect(access("omar.haddad@example.com")).toEqual(expected);
    expect(record.body.trigger.events[0]).toMatchObject({
      eventType: "user.lifecycle.activate",
      kind: "joiner",
    });
    expect(record.body.plan.findings[0]).toMatchObject({ decision: "none" });
  });

  it("a mover who leaves a group loses only that group's access, behind a scoped Deny; other access is intact", async () => {
    // Prepare: John leaves aws-search-devs (DeveloperAccess in the search and catalog prod accounts)
    const john = user("john.smith@example.com");
    const before = access("john.smith@example.com");
    // Act
    await okta("DELETE", `/api/v1/groups/${group("aws-search-devs").id}/users/${john.id}`);
    await stack.settle();
    const [record] = await runRecords(john.id, 1);
    // Assess
    const after = access("john.smith@example.com");
    const lost = [...before].filter((p) => !after.has(p));
    expect(lost.length).toBeGreaterThan(0);
    expect(record.body.plan.findings[0]).toMatchObject({ decision: "adjust" });
    expect(record.body.verification.passed).toBe(true);
    const scps = (await stack.adapters.organizations.listRevocationScps()).map((s) => s.content);
    const prover = createDenyProver(stack.estate.organization.rootId);
    const id = icUserId("john.smith@example.com");
    for (const p of lost) {
      const [permissionSetName = "", accountId = ""] = p.split("|");
      expect(await prover.isDenied({ userId: id, accountId, permissionSetName, scps, inline: [] }), p).toBe(
        true,
      );
    }
    for (const p of [...after].slice(0, 5)) {
      const [permissionSetName = "", accountId = ""] = p.split("|");
      expect(await prover.isDenied({ userId: id, accountId, permissionSetName, scps, inline: [] }), p).toBe(
        false,
      );
    }
  });

  it("reports SCIM lag when the event outruns provisioning", async () => {
    stack.scim.setLag(2_000);
    const wei = user("wei.chen@example.com");
    await okta("PUT", `/api/v1/groups/${group("aws-data-engineers").id}/users/${wei.id}`);
    await stack.emulators.okta.hooks.idle();
    const [record] = await runRecords(wei.id, 1);
    stack.scim.setLag(0);
    expect(record.body.plan.findings).toContainEqual(expect.objectContaining({ kind: "scim-lag" }));
  });

  it("five group changes and a leaver fired together converge on the truth: no access, a leaver Deny", async () => {
    const lucas = user("lucas.martin@example.com");
    const id = icUserId("lucas.martin@example.com");
    await Promise.all([
      okta("PUT", `/api/v1/groups/${group("aws-data-engineers").id}/users/${lucas.id}`),
      okta("PUT", `/api/v1/groups/${group("aws-readonly").id}/users/${lucas.id}`),
      okta("DELETE", `/api/v1/groups/${group("aws-sandbox-users").id}/users/${lucas.id}`),
      okta("PUT", `/api/v1/groups/${group("aws-support-readonly").id}/users/${lucas.id}`),
      okta("DELETE", `/api/v1/groups/${group("aws-developers").id}/users/${lucas.id}`),
      okta("POST", `/api/v1/users/${lucas.id}/lifecycle/deactivate`),
    ]);
    await stack.settle();
    // The five group changes are coalesced (a leading and a trailing run per window), the leaver is not.
    const runs = new Set(
      stack.ingress.dispatched.flatMap(({ result }) =>
        "started" in result && result.started.includes(lucas.id) ? [result.started] : [],
      ),
    );
    expect(runs.size).toBeGreaterThanOrEqual(2);
    expect(runs.size).toBeLessThan(6);
    const records = await runRecords(lucas.id, runs.size);
    expect(records).toHaveLength(runs.size);
    // Runs that read the truth after the deactivation revoke; together they leave nothing behind.
    await new Promise((r) => setTimeout(r, 200));
    expect(access("lucas.martin@example.com").size).toBe(0);
    const ledger = await stack.adapters.ledger.list();
    expect(
      ledger.some((l) => l.deny.userId === id && l.deny.scope === "all" && l.deny.reason === "leaver"),
    ).toBe(true);
  });
});
