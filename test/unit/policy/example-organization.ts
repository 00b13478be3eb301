import type { OrgAccount, Organization } from "../../../core/estate.ts";

/** The 35-account organization that examples/policy.yaml is written for. */
export const ROOT = "r-ab12";
export const OU = {
  security: "ou-ab12-s3cx7k2m",
  infrastructure: "ou-ab12-1nfr4q8z",
  workloads: "ou-ab12-w0rk5t1d",
  prod: "ou-ab12-pr0d8h3n",
  nonProd: "ou-ab12-n0np6r4v",
  sandbox: "ou-ab12-5bx2m7qa",
  suspended: "ou-ab12-susp9c1e",
} as const;

export const MANAGEMENT = "123456789012";
export const LOG_ARCHIVE = "210987654321";

function account(
  id: string,
  name: string,
  parentId: string,
  tags: Record<string, string>,
  status: OrgAccount["status"] = "ACTIVE",
): OrgAccount {
  return { id, name, parentId, tags, status };
}

const prodTeams = [
  "payments",
  "checkout",
  "catalog",
  "search",
  "identity",
  "data",
  "analytics",
  "mobile",
  "notify",
  "ml",
];

export const exampleOrganization: Organization = {
  rootId: ROOT,
  units: [
    { id: ROOT, name: "Root", parentId: null },
    { id: OU.security, name: "Security", parentId: ROOT },
    { id: OU.infrastructure, name: "Infrastructure", parentId: ROOT },
    { id: OU.workloads, name: "Workloads", parentId: ROOT },
    { id: OU.prod, name: "Prod", parentId: OU.workloads },
    { id: OU.nonProd, name: "NonProd", parentId: OU.workloads },
    { id: OU.sandbox, name: "Sandbox", parentId: ROOT },
    { id: OU.suspended, name: "Suspended", parentId: ROOT },
  ],
  accounts: [
    account(MANAGEMENT, "management", ROOT, { team: "platform" }),
    account(LOG_ARCHIVE, "log-archive", OU.security, { team: "security" }),
    account("234567890123", "security-tooling", OU.security, { team: "security" }),
    account("345678901234", "audit", OU.security, { team: "security" }),
    account("456789012345", "network", OU.infrastructure, { team: "platform" }),
    account("567890123456", "shared-services", OU.infrastructure, { team: "platform" }),
    account("678901234567", "ci-cd", OU.infrastructure, { team: "platform" }),
    account("789012345678", "dns", OU.infrastructure, { team: "platform" }),
    // Workloads/Prod: 100000000001..100000000010; payments-prod is PCI-scoped.
    ...prodTeams.map((team, i) =>
      account(`1000000000${String(i + 1).padStart(2, "0")}`, `${team}-prod`, OU.prod, {
        team,
        env: "prod",
        ...(team === "payments" ? { "data-classification": "restricted" } : {}),
      }),
    ),
    // Workloads/NonProd: 200000000001..200000000010.
    ...prodTeams.map((team, i) =>
      account(
        `2000000000${String(i + 1).padStart(2, "0")}`,
        `${team}-${i % 2 === 0 ? "dev" : "staging"}`,
        OU.nonProd,
        {
          team,
          env: i % 2 === 0 ? "dev" : "staging",
        },
      ),
    ),
    // Sandbox: 300000000001..300000000005.
    ...[1, 2, 3, 4, 5].map((n) =>
      account(`30000000000${n}`, `sandbox-${n}`, OU.sandbox, { team: "sandbox", env: "dev" }),
    ),
    account("900000000001", "closed-1", OU.suspended, { team: "payments", env: "dev" }, "SUSPENDED"),
    account("900000000002", "closed-2", OU.suspended, { team: "search" }, "PENDING_CLOSURE"),
  ],
};
