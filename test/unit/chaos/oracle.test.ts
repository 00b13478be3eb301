import { describe, expect, it } from "vitest";
import { CHAOS_USERS, chaosEstate, chaosPolicyYaml } from "../../../chaos/chaos-estate.ts";
import { assignmentKey, computeOracle } from "../../../chaos/oracle.ts";
import type { OktaTruth } from "../../../core/estate.ts";
import { loadPolicy } from "../../../core/policy/load-policy.ts";
import { estateOrganization, expandAssignments } from "../../../local/estate/expand-assignments.ts";

function policy(variant: number) {
  const loaded = loadPolicy(chaosPolicyYaml(variant), "p.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.policy;
}

function truth(statuses: Record<string, string> = {}): OktaTruth {
  const estate = chaosEstate();
  return {
    users: estate.okta.users.map((u) => ({
      id: u.login,
      login: u.login,
      status: (statuses[u.login] ?? u.status) as never,
    })),
    groups: estate.okta.groups.map((g) => ({
      id: g.name,
      name: g.name,
      memberIds: estate.okta.memberships.filter((m) => m.group === g.name).map((m) => m.user),
    })),
  };
}

describe("the chaos oracle", () => {
  it("grants, for the estate's own policy, exactly the estate's seeded assignments", () => {
    // Prepare
    const estate = chaosEstate();
    const seeded = expandAssignments(estate).map((a) => assignmentKey(a.group, a.permissionSet, a.accountId));

    // Act
    const oracle = computeOracle(policy(0), truth(), estateOrganization(estate), CHAOS_USERS);

    // Assess
    expect([...oracle.assignments].sort()).toEqual(seeded.sort());
  });

  it("every policy variant is valid and differs from the estate's own", () => {
    const base = computeOracle(policy(0), truth(), estateOrganization(chaosEstate()), []);
    for (const variant of [1, 2, 3]) {
      const other = computeOracle(policy(variant), truth(), estateOrganization(chaosEstate()), []);
      expect([...other.assignments].sort()).not.toEqual([...base.assignments].sort());
    }
  });

  it("owns group assignments of the permission sets the policy declares, and nothing else", () => {
    const oracle = computeOracle(policy(0), truth(), estateOrganization(chaosEstate()), []);
    expect(oracle.owns("aws-readonly", "ReadOnly")).toBe(true);
    expect(oracle.owns("aws-anything", "Admin")).toBe(true);
    expect(oracle.owns("aws-devs", "NotDeclared")).toBe(false);
  });

  it("denies all access to users who are not ACTIVE and to users who no longer exist", () => {
    const deleted = "gone@example.com";
    const oracle = computeOracle(
      policy(0),
      truth({ "dev2@example.com": "SUSPENDED", "ro1@example.com": "DEPROVISIONED" }),
      estateOrganization(chaosEstate()),
      [...CHAOS_USERS, deleted],
    );
    expect([...oracle.noAccess].sort()).toEqual(["dev2@example.com", deleted, "ro1@example.com"]);
    expect(oracle.active.has("dev1@example.com")).toBe(true);
  });
});
