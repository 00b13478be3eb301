import { EstateFile } from "../local/estate/schema.ts";

/**
 * The estate chaos histories run over: small enough that a history takes seconds, rich enough to
 * reach every path: the management account (inline Deny), two OUs, users in several groups, rules
 * by OU, by root and by account, and policy variants that add, remove and widen rules.
 */

const ROOT = "r-ch01";
const OU = { prod: "ou-ch01-prod0001", nonprod: "ou-ch01-nonp0001" };
export const CHAOS_MANAGEMENT_ACCOUNT = "900000000000";
const ACCOUNTS = [
  { id: "910000000001", name: "prod-a", parentId: OU.prod },
  { id: "910000000002", name: "prod-b", parentId: OU.prod },
  { id: "920000000001", name: "nonprod-a", parentId: OU.nonprod },
  { id: "920000000002", name: "nonprod-b", parentId: OU.nonprod },
];
export const CHAOS_GROUPS = ["aws-admins", "aws-devs", "aws-readonly", "aws-data"] as const;
const PERMISSION_SETS = ["Admin", "Dev", "ReadOnly", "Data"] as const;

/** The users at the start, with their groups. */
const PEOPLE: [login: string, groups: string[]][] = [
  ["admin1", ["aws-admins"]],
  ["dev1", ["aws-devs", "aws-data"]],
  ["dev2", ["aws-devs"]],
  ["dev3", ["aws-devs", "aws-readonly"]],
  ["ro1", ["aws-readonly"]],
  ["data1", ["aws-data"]],
];
/** Logins of the people at the start. */
export const CHAOS_USERS = PEOPLE.map(([login]) => `${login}@example.com`);
/** Logins joiners get (a history can hire each once). */
export const CHAOS_JOINERS = ["new1@example.com", "new2@example.com", "new3@example.com"];

const BASE_RULES = [
  "  - { name: admins, group: aws-admins, permissionSet: Admin, targets: { ous: [r-ch01] } }",
  "  - { name: devs-nonprod, group: aws-devs, permissionSet: Dev, targets: { ous: [ou-ch01-nonp0001] } }",
  "  - { name: devs-prod-read, group: aws-devs, permissionSet: ReadOnly, targets: { ous: [ou-ch01-prod0001] } }",
  "  - { name: readonly, group: aws-readonly, permissionSet: ReadOnly, targets: { ous: [r-ch01] } }",
  '  - { name: data, group: aws-data, permissionSet: Data, targets: { accounts: ["910000000001", "920000000001"] } }',
];

/** Policy variants: 0 is the estate's own; the others remove, add and widen rules. */
const VARIANTS: string[][] = [
  BASE_RULES,
  BASE_RULES.filter((r) => !r.includes("name: readonly,")),
  [
    ...BASE_RULES,
    "  - { name: data-nonprod-read, group: aws-data, permissionSet: ReadOnly, targets: { ous: [ou-ch01-nonp0001] } }",
  ],
  BASE_RULES.map((r) =>
    r.replace(
      "devs-nonprod, group: aws-devs, permissionSet: Dev, targets: { ous: [ou-ch01-nonp0001] }",
      "devs-nonprod, group: aws-devs, permissionSet: Dev, targets: { ous: [r-ch01] }",
    ),
  ),
];
export const CHAOS_POLICY_VARIANTS = VARIANTS.length;

/** The access policy YAML of a variant (guards opened: chaos checks convergence, not the guards). */
export function chaosPolicyYaml(variant: number): string {
  const rules = VARIANTS[variant % VARIANTS.length] ?? BASE_RULES;
  return `version: 1
managementAccountId: "${CHAOS_MANAGEMENT_ACCOUNT}"
permissionSets: { ${PERMISSION_SETS.map((p) => `${p}: { sessionDuration: PT1H }`).join(", ")} }
rules:
${rules.join("\n")}
ownership: { scope: permission-sets }
revocation: { hold: PT1H }
guards: { maxDeletes: 1000, maxDeletePercent: 100, abortOnEmptyGroup: false }
`;
}

/** The chaos estate, its Identity Center assignments equal to variant 0. */
export function chaosEstate(): EstateFile {
  return EstateFile.parse({
    organization: {
      managementAccountId: CHAOS_MANAGEMENT_ACCOUNT,
      rootId: ROOT,
      units: [
        { id: OU.prod, name: "Prod", parentId: ROOT },
        { id: OU.nonprod, name: "NonProd", parentId: ROOT },
      ],
      accounts: [{ id: CHAOS_MANAGEMENT_ACCOUNT, name: "management", parentId: ROOT }, ...ACCOUNTS],
    },
    okta: {
      users: PEOPLE.map(([login]) => ({
        login: `${login}@example.com`,
        firstName: login,
        lastName: "Chaos",
        status: "ACTIVE",
      })),
      groups: CHAOS_GROUPS.map((name) => ({ name })),
      memberships: PEOPLE.flatMap(([login, groups]) =>
        groups.map((group) => ({ group, user: `${login}@example.com` })),
      ),
    },
    identityCenter: {
      permissionSets: PERMISSION_SETS.map((name) => ({ name, sessionDuration: "PT1H" })),
      assignments: [
        { group: "aws-admins", permissionSet: "Admin", ous: [ROOT] },
        { group: "aws-devs", permissionSet: "Dev", ous: [OU.nonprod] },
        { group: "aws-devs", permissionSet: "ReadOnly", ous: [OU.prod] },
        { group: "aws-readonly", permissionSet: "ReadOnly", ous: [ROOT] },
        { group: "aws-data", permissionSet: "Data", accounts: ["910000000001", "920000000001"] },
      ],
    },
  });
}
