import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OrgAccount, Organization } from "../../../core/estate.ts";
import { resolveRuleAccounts } from "../../../core/policy/resolve-targets.ts";
import { type PolicyRule, type PolicyTargets, Rule } from "../../../core/policy/schema.ts";

const ROOT = "r-root";
const OU_IDS = Array.from({ length: 6 }, (_, i) => `ou-root-unit000${i}`);
const ACCOUNT_IDS = Array.from({ length: 10 }, (_, i) =>
  String(i + 1)
    .repeat(12)
    .slice(0, 12),
);
const UNKNOWN_ACCOUNT = "000000000000";
const UNKNOWN_OU = "ou-root-nothere0";
const STATUSES: OrgAccount["status"][] = ["ACTIVE", "ACTIVE", "SUSPENDED", "PENDING_CLOSURE"];

/** A random tree: each OU hangs under the root or an earlier OU; accounts under any of them. */
const organizationArb: fc.Arbitrary<Organization> = fc
  .record({
    ouParents: fc.tuple(...OU_IDS.map((_, i) => fc.constantFrom(ROOT, ...OU_IDS.slice(0, i)))),
    accounts: fc.tuple(
      ...ACCOUNT_IDS.map(() =>
        fc.record({
          parentId: fc.constantFrom(ROOT, ...OU_IDS),
          env: fc.option(fc.constantFrom("prod", "dev", "staging"), { nil: undefined }),
          team: fc.option(fc.constantFrom("payments", "search"), { nil: undefined }),
          status: fc.constantFrom(...STATUSES),
        }),
      ),
    ),
  })
  .map(({ ouParents, accounts }) => ({
    rootId: ROOT,
    units: [
      { id: ROOT, name: "Root", parentId: null },
      ...OU_IDS.map((id, i) => ({ id, name: id, parentId: ouParents[i] as string })),
    ],
    accounts: accounts.map((a, i): OrgAccount => {
      const tags: Record<string, string> = {};
      if (a.env !== undefined) tags.env = a.env;
      if (a.team !== undefined) tags.team = a.team;
      return {
        id: ACCOUNT_IDS[i] as string,
        name: `account-${i}`,
        parentId: a.parentId,
        status: a.status,
        tags,
      };
    }),
  }));

const tagMatchArb = fc.dictionary(
  fc.constantFrom("env", "team", "owner"),
  fc.oneof(
    fc.constantFrom("prod", "dev", "staging", "payments", "search"),
    fc.uniqueArray(fc.constantFrom("prod", "dev", "staging", "payments", "search"), { minLength: 1 }),
  ),
);

const targetsArb = fc.record(
  {
    accounts: fc.subarray([...ACCOUNT_IDS, UNKNOWN_ACCOUNT]),
    ous: fc.subarray([ROOT, ...OU_IDS, UNKNOWN_OU]),
    tags: tagMatchArb,
  },
  { requiredKeys: [] },
);

const ruleArb: fc.Arbitrary<PolicyRule> = fc
  .record({ targets: targetsArb, exclude: fc.option(targetsArb, { nil: undefined }) })
  .map(({ targets, exclude }) => Rule.parse({ name: "r", group: "g", permissionSet: "P", targets, exclude }));

/** An independent oracle: walks each account's ancestors instead of each OU's descendants. */
function ancestors(account: OrgAccount, org: Organization): Set<string> {
  const found = new Set([ROOT]);
  let current: string | null | undefined = account.parentId;
  while (current && !found.has(current)) {
    found.add(current);
    current = org.units.find((u) => u.id === current)?.parentId;
  }
  return found;
}

function selects(targets: PolicyTargets | undefined, account: OrgAccount, org: Organization): boolean {
  if (targets === undefined) return false;
  const above = ancestors(account, org);
  const tags = Object.entries(targets.tags ?? {});
  const tagged =
    tags.length > 0 &&
    tags.every(
      ([key, accepted]) => [accepted].flat().includes(account.tags[key] as string) && key in account.tags,
    );
  return targets.accounts.includes(account.id) || targets.ous.some((ou) => above.has(ou)) || tagged;
}

describe("resolveRuleAccounts (property)", () => {
  it("returns sorted, unique, active, never excluded accounts, exactly those an independent oracle selects", () => {
    fc.assert(
      fc.property(organizationArb, ruleArb, (org, rule) => {
        // Act
        const { accountIds } = resolveRuleAccounts(rule, org);

        // Assess
        const active = new Set(org.accounts.filter((a) => a.status === "ACTIVE").map((a) => a.id));
        const excluded = new Set(org.accounts.filter((a) => selects(rule.exclude, a, org)).map((a) => a.id));
        expect(accountIds).toEqual([...new Set(accountIds)].sort());
        expect(accountIds.every((id) => active.has(id))).toBe(true);
        expect(accountIds.filter((id) => excluded.has(id))).toEqual([]);
        const expected = org.accounts
          .filter((a) => a.status === "ACTIVE" && selects(rule.targets, a, org) && !excluded.has(a.id))
          .map((a) => a.id)
          .sort();
        expect(accountIds).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("reports exactly the explicit ids the organization does not have", () => {
    fc.assert(
      fc.property(organizationArb, ruleArb, (org, rule) => {
        // Act
        const resolved = resolveRuleAccounts(rule, org);

        // Assess
        expect(resolved.unknownAccountIds).toEqual(
          rule.targets.accounts.filter((id) => id === UNKNOWN_ACCOUNT),
        );
        expect(resolved.unknownOuIds).toEqual(rule.targets.ous.filter((id) => id === UNKNOWN_OU));
        const excludedIds = [...(rule.exclude?.accounts ?? []), ...(rule.exclude?.ous ?? [])];
        expect(resolved.unknownExcludedIds).toEqual(
          excludedIds.filter((id) => id === UNKNOWN_ACCOUNT || id === UNKNOWN_OU).sort(),
        );
      }),
    );
  });
});
