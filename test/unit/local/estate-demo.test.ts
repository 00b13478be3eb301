import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { loadPolicy } from "../../../core/policy/load-policy.ts";
import { resolveRuleAccounts } from "../../../core/policy/resolve-targets.ts";
import { demoEstate, demoPolicyYaml } from "../../../local/estate/demo-estate.ts";
import { DEMO_NAMED_USERS } from "../../../local/estate/demo-named-users.ts";
import { DEMO_ACCOUNT, DEMO_OU } from "../../../local/estate/demo-organization.ts";
import { estateOrganization, expandAssignments } from "../../../local/estate/expand-assignments.ts";
import { estateJsonSchema } from "../../../local/estate/json-schema.ts";
import { withOktaIds } from "../../../local/estate/okta-ids.ts";
import { parseEstate, validateEstate } from "../../../local/estate/parse-estate.ts";
import type { EstateFile } from "../../../local/estate/schema.ts";
import { scimProjection } from "../../../local/estate/scim-projection.ts";

const ROOT = new URL("../../../", import.meta.url);
const JANE = "jane.doe@example.com";

function groupsOf(estate: EstateFile, login: string): string[] {
  return estate.okta.memberships.filter((membership) => membership.user === login).map((m) => m.group);
}

/** Accounts a user reaches through the groups they are in. */
function accountsOf(estate: EstateFile, login: string): Set<string> {
  const groups = groupsOf(estate, login);
  return new Set(
    expandAssignments(estate)
      .filter((a) => groups.includes(a.group))
      .map((a) => a.accountId),
  );
}

describe("demoEstate", () => {
  it("is a valid estate", () => {
    // Act
    const result = validateEstate(demoEstate(), "demoEstate()");

    // Assess
    if (!result.ok) throw result.error;
    expect(result.estate).toEqual(demoEstate());
  });

  it("is deterministic and never uses Math.random", () => {
    // Prepare
    const random = vi.spyOn(Math, "random");

    // Act
    const first = demoEstate();
    const second = demoEstate();

    // Assess
    expect(second).toEqual(first);
    expect(random).not.toHaveBeenCalled();
    random.mockRestore();
  });

  it("models a mid-size company: 35 accounts in 7 OUs, 400 users, 12 groups, 6 permission sets", () => {
    // Act
    const estate = demoEstate();

    // Assess
    const { organization, okta, identityCenter } = estate;
    const inOu = (ouId: string) =>
      organization.accounts.filter((account) => account.parentId === ouId).length;
    expect(organization.accounts).toHaveLength(35);
    expect(organization.units.map((unit) => unit.name)).toEqual([
      "Security",
      "Infrastructure",
      "Workloads",
      "Prod",
      "NonProd",
      "Sandbox",
      "Suspended",
    ]);
    expect([
      inOu(DEMO_OU.security),
      inOu(DEMO_OU.infrastructure),
      inOu(DEMO_OU.prod),
      inOu(DEMO_OU.nonProd),
    ]).toEqual([2, 3, 10, 10]);
    expect(inOu(DEMO_OU.sandbox)).toBe(8);
    expect(organization.accounts.filter((account) => account.status === "SUSPENDED")).toHaveLength(1);
    for (const account of organization.accounts) {
      expect(Object.keys(account.tags)).toEqual(expect.arrayContaining(["env", "team", "cost-center"]));
      expect(["prod", "staging", "dev", "sandbox"]).toContain(account.tags.env);
    }
    expect(okta.users).toHaveLength(400);
    expect(new Set(okta.users.map((user) => user.login)).size).toBe(400);
    for (const user of okta.users)
      expect(user.login).toBe(`${user.firstName}.${user.lastName}@example.com`.toLowerCase());
    expect(okta.users.filter((user) => user.status === "SUSPENDED").length).toBeGreaterThanOrEqual(3);
    expect(okta.users.filter((user) => user.status === "DEPROVISIONED").length).toBeGreaterThanOrEqual(3);
    expect(okta.groups).toHaveLength(12);
    expect(okta.memberships).toHaveLength(470);
    expect(identityCenter.permissionSets.map((set) => [set.name, set.sessionDuration])).toEqual([
      ["ReadOnly", "PT8H"],
      ["DeveloperAccess", "PT4H"],
      ["PlatformAdmin", "PT1H"],
      ["BillingViewer", "PT1H"],
      ["SecurityAudit", "PT4H"],
      ["DataEngineer", "PT4H"],
    ]);
    expect(identityCenter.assignments).toHaveLength(13);
    expect(expandAssignments(estate)).toHaveLength(161);
  });

  it("gives every account but the suspended one PlatformAdmin and SecurityAudit, and billing only the management account", () => {
    // Prepare
    const estate = demoEstate();
    const active = estate.organization.accounts.filter((a) => a.status === "ACTIVE").map((a) => a.id);

    // Act
    const expanded = expandAssignments(estate);

    // Assess
    const accountsWith = (group: string, permissionSet: string) =>
      expanded.filter((a) => a.group === group && a.permissionSet === permissionSet).map((a) => a.accountId);
    expect(accountsWith("aws-platform-admins", "PlatformAdmin")).toEqual([...active].sort());
    expect(accountsWith("aws-security-auditors", "SecurityAudit")).toEqual([...active].sort());
    expect(accountsWith("aws-billing", "BillingViewer")).toEqual([DEMO_ACCOUNT.management]);
    expect(accountsWith("aws-developers", "DeveloperAccess")).toHaveLength(10);
    expect(accountsWith("aws-developers", "ReadOnly")).toHaveLength(10);
  });

  it("makes jane.doe@example.com an ACTIVE demo leaver with access in 28 accounts through 4 groups", () => {
    // Prepare
    const estate = demoEstate();

    // Act
    const jane = estate.okta.users.find((user) => user.login === JANE);
    const groups = groupsOf(estate, JANE);
    const accounts = accountsOf(estate, JANE);

    // Assess
    expect(jane?.status).toBe("ACTIVE");
    expect(groups.sort()).toEqual([
      "aws-developers",
      "aws-payments-devs",
      "aws-sandbox-users",
      "aws-sre-oncall",
    ]);
    expect(accounts.size).toBe(28);
    expect(accounts).toContain(DEMO_ACCOUNT.paymentsProd);
    expect(accounts).not.toContain(DEMO_ACCOUNT.management);
  });

  it("has the named demo users the README describes", () => {
    // Prepare
    const estate = demoEstate();
    const user = (login: string) => estate.okta.users.find((candidate) => candidate.login === login);

    // Act / Assess
    for (const named of DEMO_NAMED_USERS) {
      expect(user(`${named.firstName}.${named.lastName}@example.com`.toLowerCase())?.status).toBe(
        named.status,
      );
    }
    expect(accountsOf(estate, "john.smith@example.com").size).toBe(28);
    expect(accountsOf(estate, "priya.patel@example.com").size).toBe(34);
    expect([...accountsOf(estate, "maria.garcia@example.com")]).toEqual([DEMO_ACCOUNT.management]);
    expect(groupsOf(estate, "alex.morgan@example.com")).toContain("aws-payments-devs");
    expect(groupsOf(estate, "sam.taylor@example.com")).toEqual([]);
    expect(groupsOf(estate, "omar.haddad@example.com")).toContain("aws-developers");
  });

  it("projects to Identity Center as SCIM would: only ACTIVE members of the pushed groups", () => {
    // Prepare
    const estate = withOktaIds(demoEstate());

    // Act
    const projection = scimProjection(estate);

    // Assess
    const userNames = projection.users.map((user) => user.userName);
    expect(projection.groups).toHaveLength(12);
    expect(userNames).toContain(JANE);
    expect(userNames).not.toContain("alex.morgan@example.com");
    expect(userNames).not.toContain("omar.haddad@example.com");
    expect(userNames).not.toContain("sam.taylor@example.com");
    expect(projection.users).toHaveLength(270);
    expect(projection.memberships).toHaveLength(454);
  });
});

describe("demoPolicyYaml", () => {
  it("loads with the policy loader without errors", () => {
    // Act
    const result = loadPolicy(demoPolicyYaml(), "demo-policy.yaml");

    // Assess
    if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
    expect(result.policy.managementAccountId).toBe(DEMO_ACCOUNT.management);
    expect(result.policy.okta.provisioningAppIds).toEqual(demoEstate().okta.apps.map((app) => app.id));
    expect(result.policy.revocation.hold).toBe("PT12H");
  });

  it("grants exactly what the demo estate's assignments grant, naming only ids the estate has", () => {
    // Prepare
    const estate = demoEstate();
    const result = loadPolicy(demoPolicyYaml(), "demo-policy.yaml");
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const org = estateOrganization(estate);
    // A group the policy names by id is the estate's OKTA_GROUP of that id (an APP_GROUP shares its name).
    const groupName = (group: unknown) => {
      if (typeof group === "string") return group;
      const id = (group as { id: string }).id;
      return estate.okta.groups.find((g) => g.id === id)?.name;
    };

    // Act
    const granted = result.policy.rules.flatMap((rule) => {
      const resolved = resolveRuleAccounts(rule, org);
      expect([
        ...resolved.unknownAccountIds,
        ...resolved.unknownOuIds,
        ...resolved.unknownExcludedIds,
      ]).toEqual([]);
      return resolved.accountIds.map(
        (accountId) => `${accountId} ${groupName(rule.group)} ${rule.permissionSet}`,
      );
    });

    // Assess
    const assigned = expandAssignments(estate).map((a) => `${a.accountId} ${a.group} ${a.permissionSet}`);
    expect([...new Set(granted)].sort()).toEqual(assigned);
    const declared = estate.identityCenter.permissionSets.map((set) => [set.name, set.sessionDuration]);
    expect(
      Object.entries(result.policy.permissionSets).map(([name, set]) => [name, set.sessionDuration]),
    ).toEqual(declared);
  });
});

describe("committed files", () => {
  it("examples/demo-estate.json is demoEstate() and passes validation (regenerate: node local/estate/write-demo-estate.ts)", () => {
    // Prepare
    const text = readFileSync(new URL("examples/demo-estate.json", ROOT), "utf8");

    // Act
    const result = parseEstate(text, "examples/demo-estate.json");

    // Assess
    expect(JSON.parse(text)).toEqual(demoEstate());
    if (!result.ok) throw result.error;
    expect(result.estate.$schema).toBe("../docs/estate.schema.json");
  });

  it("docs/estate.schema.json is the schema generated from zod (regenerate: node local/estate/write-json-schema.ts)", () => {
    // Prepare
    const text = readFileSync(new URL("docs/estate.schema.json", ROOT), "utf8");

    // Act
    const committed = JSON.parse(text);

    // Assess
    expect(committed).toEqual(estateJsonSchema());
    expect(committed.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(committed.required).toEqual(["organization", "okta", "identityCenter"]);
  });
});
