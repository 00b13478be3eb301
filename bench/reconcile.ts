// bench/reconcile: estate reconcile at 35 / 140 / 1,000 accounts with AWS-like latency and limits,
// cold (every assignment to create) and warm (1% drift): API calls made vs the minimum needed and vs
// the naive method (every account x permission set pair), wall time vs the rate-limit bound.
// Run: npm run bench -- reconcile [--max-accounts N]   (writes bench/results/reconcile.json)
import { mkdir, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { EstateFile } from "../local/estate/schema.ts";
import { randomHookSecret } from "../local/local-secrets.ts";
import { startLocalStack } from "../local/stack/local-stack.ts";
import { reconcileEstate } from "../usecases/reconcile-estate/reconcile-estate.ts";
import { MAX_OUTSTANDING_ASSIGNMENT_OPERATIONS } from "../workflows/identity-center-operations.ts";

const LATENCY_MS = 1_000; // an assignment operation takes about a second in AWS
const POLL_MS = 1_000; // the deployed definition polls every second
const TPS = 20;
const PERMISSION_SETS = [
  "ReadOnly",
  "DeveloperAccess",
  "PlatformAdmin",
  "BillingViewer",
  "SecurityAudit",
  "DataEngineer",
];
const GROUPS = ["platform", "developers", "readonly", "billing", "security", "data", "support", "sre"];

function estate(accounts: number, users: number) {
  const ou = { prod: "ou-be01-prod0001", nonprod: "ou-be01-nonp0001", sandbox: "ou-be01-sand0001" };
  const accountIds = Array.from({ length: accounts }, (_, i) => String(300000000000 + i));
  const parent = (i: number) => (i % 5 < 2 ? ou.prod : i % 5 < 4 ? ou.nonprod : ou.sandbox);
  const logins = Array.from({ length: users }, (_, i) => `user${i}@example.com`);
  return EstateFile.parse({
    organization: {
      managementAccountId: "999999999999",
      rootId: "r-be01",
      units: Object.values(ou).map((id) => ({ id, name: id, parentId: "r-be01" })),
      accounts: [
        { id: "999999999999", name: "management", parentId: "r-be01" },
        ...accountIds.map((id, i) => ({ id, name: `acct-${i}`, parentId: parent(i) })),
      ],
    },
    okta: {
      users: logins.map((login, i) => ({ login, firstName: "User", lastName: String(i), status: "ACTIVE" })),
      groups: GROUPS.map((g) => ({ name: `aws-${g}` })),
      memberships: logins.map((user, i) => ({ group: `aws-${GROUPS[i % GROUPS.length]}`, user })),
    },
    identityCenter: {
      permissionSets: PERMISSION_SETS.map((name) => ({ name, sessionDuration: "PT1H" })),
      assignments: [],
    },
  });
}

const POLICY = `version: 1
managementAccountId: "999999999999"
permissionSets: { ${PERMISSION_SETS.map((p) => `${p}: {}`).join(", ")} }
rules:
  - { name: platform, group: aws-platform, permissionSet: PlatformAdmin, targets: { ous: [r-be01] } }
  - { name: readonly, group: aws-readonly, permissionSet: ReadOnly, targets: { ous: [r-be01] } }
  - { name: security, group: aws-security, permissionSet: SecurityAudit, targets: { ous: [r-be01] } }
  - { name: devs, group: aws-developers, permissionSet: DeveloperAccess, targets: { ous: [ou-be01-nonp0001, ou-be01-sand0001] } }
  - { name: devs-prod, group: aws-developers, permissionSet: ReadOnly, targets: { ous: [ou-be01-prod0001] } }
  - { name: data, group: aws-data, permissionSet: DataEngineer, targets: { ous: [ou-be01-prod0001] } }
  - { name: billing, group: aws-billing, permissionSet: BillingViewer, targets: { accounts: ["999999999999"] } }
guards: { maxDeletes: 1000000, maxDeletePercent: 100, maxNewAssignments: 1000000, maxPrivilegedAccounts: 1000000, maxRuleWidening: 1000000 }
`;

interface Case {
  accounts: number;
  users: number;
  kind: "cold" | "drift";
  seconds: number;
  boundSeconds: number;
  apiCalls: number;
  minApiCalls: number;
  naiveApiCalls: number;
  operations: number;
  evidenceSeconds: number;
}

const result0Accounts = (accounts: number) =>
  Array.from({ length: accounts }, (_, i) => String(300000000000 + i));
const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

async function measure(accounts: number, users: number): Promise<Case[]> {
  const stack = await startLocalStack({
    port: 0,
    estate: estate(accounts, users),
    policyYaml: POLICY,
    hookSecret: randomHookSecret(),
    latency: "aws",
    pollMs: POLL_MS,
  });
  const ic = stack.emulators.identityCenter;
  ic.limits.latencyMs = LATENCY_MS;
  const cases: Case[] = [];
  try {
    for (const kind of ["cold", "drift"] as const) {
      if (kind === "drift") {
        // 1% drift: half the drifted assignments deleted by hand, half hand-made on owned pairs.
        const snap = ic.snapshot();
        const drift = Math.max(2, Math.round(snap.assignments.length / 100));
        const victims = snap.assignments
          .filter((_, i) => i % Math.floor(snap.assignments.length / (drift / 2)) === 0)
          .slice(0, drift / 2);
        // An owned pair on accounts no rule grants it: developers' DeveloperAccess in Prod.
        const devAccess = snap.permissionSets.find((p) => p.name === "DeveloperAccess")?.arn ?? "";
        const developers = snap.groups.find((g) => g.displayName === "aws-developers")?.groupId ?? "";
        // At most 10 asynchronous operations may be outstanding: delete in tens.
        for (let i = 0; i < victims.length; i += MAX_OUTSTANDING_ASSIGNMENT_OPERATIONS) {
          await Promise.all(
            victims
              .slice(i, i + MAX_OUTSTANDING_ASSIGNMENT_OPERATIONS)
              .map((v) => stack.adapters.identityCenter.deleteAssignment(v)),
          );
          await new Promise((r) => setTimeout(r, LATENCY_MS + 100));
        }
        const prodAccounts = result0Accounts(accounts).filter((_, i) => i % 5 < 2);
        for (const accountId of prodAccounts.slice(0, drift / 2)) {
          ic.seed.assignment({
            accountId,
            permissionSetArn: devAccess,
            principalType: "GROUP",
            principalId: developers,
          });
        }
        await new Promise((r) => setTimeout(r, LATENCY_MS + 100));
      }
      ic.resetCallCounts();
      const result = await reconcileEstate(
        stack.estateDeps(`bench-${kind}-${accounts}`, { pollMs: POLL_MS }),
        { apply: true, trigger: { type: "manual", requestedBy: "bench" } },
      );
      // The API-bound part (read, plan, apply); writing the evidence and snapshot is reported apart.
      const seconds = (result.timings.readMs + result.timings.applyMs) / 1000;
      const evidenceSeconds = result.timings.evidenceMs / 1000;
      if (result.outcomes.some((o) => o.status !== "SUCCEEDED"))
        throw new Error(`${kind} ${accounts}: failed actions`);
      const snap = ic.snapshot();
      const calls = sum(snap.calls.ssoAdmin);
      const operations = result.plan.actions.filter((a) => a.kind.startsWith("assignment.")).length;
      const page = ic.limits.defaultPageSize;
      const pages = (n: number) => Math.max(1, Math.ceil(n / page));
      const before = result.input.identityCenter;
      const pairsBefore = before.provisioned.length;
      const activeAccounts = result.input.organization.accounts.filter((a) => a.status === "ACTIVE").length;
      // Minimum: the provisioned-pairs read (design.md) plus one start and one status call per operation.
      const perPair = new Map<string, number>();
      for (const a of before.assignments)
        perPair.set(
          `${a.accountId}|${a.permissionSetArn}`,
          (perPair.get(`${a.accountId}|${a.permissionSetArn}`) ?? 0) + 1,
        );
      const assignmentPages =
        [...perPair.values()].reduce((t, n) => t + pages(n), 0) + (pairsBefore - perPair.size);
      const fixedReads = pages(PERMISSION_SETS.length) + PERMISSION_SETS.length;
      const minApiCalls = fixedReads + 2 * activeAccounts + assignmentPages + 2 * operations;
      const naiveApiCalls = fixedReads + activeAccounts * PERMISSION_SETS.length + 2 * operations;
      const boundSeconds = Math.max(
        minApiCalls / TPS,
        (Math.ceil(operations / MAX_OUTSTANDING_ASSIGNMENT_OPERATIONS) * LATENCY_MS) / 1000,
      );
      cases.push({
        accounts,
        users,
        kind,
        seconds,
        boundSeconds,
        apiCalls: calls,
        minApiCalls,
        naiveApiCalls,
        operations,
        evidenceSeconds,
      });
      console.log(
        `${String(accounts).padStart(5)} accounts ${String(users).padStart(6)} users ${kind.padEnd(5)}: ${operations} operations, ${calls} sso-admin calls (min ${minApiCalls}, naive ${naiveApiCalls}); ${seconds.toFixed(1)} s vs bound ${boundSeconds.toFixed(1)} s (x${(seconds / boundSeconds).toFixed(2)}); evidence ${evidenceSeconds.toFixed(1)} s`,
      );
    }
  } finally {
    await stack.stop();
  }
  return cases;
}

const { values } = parseArgs({
  options: { "max-accounts": { type: "string" } },
  allowPositionals: true,
  args: process.argv.slice(3),
});
const max = Number(values["max-accounts"] ?? 1000);
const cases: Case[] = [];
for (const [accounts, users] of [
  [35, 400],
  [140, 2000],
  [1000, 10000],
] as const) {
  if (accounts <= max) cases.push(...(await measure(accounts, users)));
}
await mkdir("bench/results", { recursive: true });
await writeFile("bench/results/reconcile.json", `${JSON.stringify({ cases }, null, 2)}\n`);
console.log("wrote bench/results/reconcile.json");
console.log(
  "For reference: aws-iam-identity-center-extensions' scaling notes report 1,200 assignment operations in 61 minutes.",
);
