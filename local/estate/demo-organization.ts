import { DEMO_NAMED_USERS, demoLogin } from "./demo-named-users.ts";
import { type DemoTeamName, demoTeam } from "./demo-teams.ts";
import type { EstateOrganizationData } from "./schema.ts";

type Account = EstateOrganizationData["accounts"][number];

/** The demo organization's root and OUs (the same ids as examples/policy.yaml). */
export const DEMO_ROOT_ID = "r-ab12";
export const DEMO_OU = {
  security: "ou-ab12-s3cx7k2m",
  infrastructure: "ou-ab12-1nfr4q8z",
  workloads: "ou-ab12-w0rk5t1d",
  prod: "ou-ab12-pr0d8h3n",
  nonProd: "ou-ab12-n0np6r4v",
  sandbox: "ou-ab12-5bx2m7qa",
  suspended: "ou-ab12-susp9c1e",
} as const;

/** Accounts the demo's assignments and README name. */
export const DEMO_ACCOUNT = {
  management: "123456789012",
  logArchive: "210987654321",
  audit: "345678901234",
  paymentsProd: "100000000001",
  catalogProd: "100000000003",
  searchProd: "100000000004",
  dataProd: "100000000006",
  analyticsProd: "100000000007",
  mlProd: "100000000010",
  dataStaging: "200000000006",
  analyticsDev: "200000000007",
  mlStaging: "200000000010",
} as const;

/** Workload services, in account-number order, and the team that owns each. */
const SERVICES: readonly { service: string; team: DemoTeamName }[] = [
  { service: "payments", team: "payments" },
  { service: "checkout", team: "checkout" },
  { service: "catalog", team: "catalog" },
  { service: "search", team: "search" },
  { service: "identity", team: "platform" },
  { service: "data", team: "data" },
  { service: "analytics", team: "data" },
  { service: "mobile", team: "mobile" },
  { service: "notify", team: "mobile" },
  { service: "ml", team: "data" },
];

function account(
  id: string,
  name: string,
  parentId: string,
  team: DemoTeamName,
  env: string,
  extraTags: Record<string, string> = {},
): Account {
  return {
    id,
    name,
    parentId,
    email: `aws+${name}@example.com`,
    tags: { env, team, "cost-center": demoTeam(team).costCenter, ...extraTags },
    status: "ACTIVE",
  };
}

/**
 * A mid-size company's organization, 35 accounts: the management account under the root; Security
 * (log archive, audit); Infrastructure (network, shared services, CI/CD); Workloads/Prod and
 * Workloads/NonProd (10 services each); 8 personal sandboxes; one suspended account.
 */
export function demoOrganization(): EstateOrganizationData {
  const number = (prefix: string, index: number) => `${prefix}${String(index + 1).padStart(2, "0")}`;
  return {
    managementAccountId: DEMO_ACCOUNT.management,
    rootId: DEMO_ROOT_ID,
    units: [
      { id: DEMO_OU.security, name: "Security", parentId: DEMO_ROOT_ID },
      { id: DEMO_OU.infrastructure, name: "Infrastructure", parentId: DEMO_ROOT_ID },
      { id: DEMO_OU.workloads, name: "Workloads", parentId: DEMO_ROOT_ID },
      { id: DEMO_OU.prod, name: "Prod", parentId: DEMO_OU.workloads },
      { id: DEMO_OU.nonProd, name: "NonProd", parentId: DEMO_OU.workloads },
      { id: DEMO_OU.sandbox, name: "Sandbox", parentId: DEMO_ROOT_ID },
      { id: DEMO_OU.suspended, name: "Suspended", parentId: DEMO_ROOT_ID },
    ],
    accounts: [
      account(DEMO_ACCOUNT.management, "management", DEMO_ROOT_ID, "platform", "prod"),
      account(DEMO_ACCOUNT.logArchive, "log-archive", DEMO_OU.security, "security", "prod"),
      account(DEMO_ACCOUNT.audit, "audit", DEMO_OU.security, "security", "prod"),
      account("456789012345", "network", DEMO_OU.infrastructure, "platform", "prod"),
      account("567890123456", "shared-services", DEMO_OU.infrastructure, "platform", "prod"),
      account("678901234567", "ci-cd", DEMO_OU.infrastructure, "platform", "prod"),
      ...SERVICES.map(({ service, team }, index) =>
        account(
          number("1000000000", index),
          `${service}-prod`,
          DEMO_OU.prod,
          team,
          "prod",
          service === "payments" ? { "data-classification": "restricted" } : {},
        ),
      ),
      ...SERVICES.map(({ service, team }, index) => {
        const env = index % 2 === 0 ? "dev" : "staging";
        return account(number("2000000000", index), `${service}-${env}`, DEMO_OU.nonProd, team, env);
      }),
      ...DEMO_NAMED_USERS.filter((user) => user.sandbox).map((user, index) =>
        account(
          number("3000000000", index),
          `sandbox-${user.firstName}-${user.lastName}`.toLowerCase(),
          DEMO_OU.sandbox,
          user.team,
          "sandbox",
          { owner: demoLogin(user.firstName, user.lastName) },
        ),
      ),
      {
        ...account("900000000001", "legacy-reporting", DEMO_OU.suspended, "data", "dev"),
        status: "SUSPENDED",
      },
    ],
  };
}
