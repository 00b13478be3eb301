// bench/leaver: time-to-revoke for a leaver with access in 10, 35 and 140 accounts, with the
// emulators at AWS-like latency and limits, next to the bound the limits imply.
// Run: npm run bench -- leaver   (writes bench/results/leaver.json)
import { mkdir, writeFile } from "node:fs/promises";
import { EstateFile } from "../local/estate/schema.ts";
import { randomHookSecret } from "../local/local-secrets.ts";
import { startLocalStack } from "../local/stack/local-stack.ts";
import { MAX_OUTSTANDING_ASSIGNMENT_OPERATIONS } from "../workflows/identity-center-operations.ts";

/** Emulated latency of one assignment deletion (AWS: typically seconds). */
const OPERATION_LATENCY_MS = 2_000;
/** The workflow polls operation status every second (the deployed definition's Wait). */
const POLL_MS = 1_000;
const SSO_ADMIN_TPS = 20;

function benchEstate(accounts: number) {
  const ids = Array.from({ length: accounts }, (_, i) => String(200000000000 + i));
  return EstateFile.parse({
    organization: {
      managementAccountId: "999999999999",
      rootId: "r-be01",
      units: [{ id: "ou-be01-workload", name: "Workloads", parentId: "r-be01" }],
      accounts: [
        { id: "999999999999", name: "management", parentId: "r-be01" },
        ...ids.map((id, i) => ({ id, name: `workload-${i}`, parentId: "ou-be01-workload" })),
      ],
    },
    okta: {
      users: [
        { login: "leaver@example.com", firstName: "Lea", lastName: "Ver", status: "ACTIVE" },
        { login: "stays@example.com", firstName: "Stay", lastName: "Er", status: "ACTIVE" },
      ],
      groups: [{ name: "aws-engineers" }],
      memberships: [
        { group: "aws-engineers", user: "leaver@example.com" },
        { group: "aws-engineers", user: "stays@example.com" },
      ],
    },
    identityCenter: {
      permissionSets: [{ name: "DeveloperAccess", sessionDuration: "PT4H" }],
      assignments: [{ group: "aws-engineers", permissionSet: "DeveloperAccess", ous: ["ou-be01-workload"] }],
    },
  });
}

const POLICY = `version: 1
managementAccountId: "999999999999"
permissionSets: { DeveloperAccess: { sessionDuration: PT4H } }
rules:
  - { name: engineers, group: aws-engineers, permissionSet: DeveloperAccess, targets: { ous: [ou-be01-workload] } }
`;

interface Case {
  accounts: number;
  seconds: number;
  boundSeconds: number;
  denySeconds: number;
  deletions: number;
}

async function measure(accounts: number): Promise<Case> {
  const estate = benchEstate(accounts);
  const stack = await startLocalStack({
    port: 0,
    estate,
    policyYaml: POLICY,
    hookSecret: randomHookSecret(),
    holdSeconds: 3600,
    pollMs: POLL_MS,
    latency: "aws",
  });
  try {
    const ic = stack.emulators.identityCenter;
    ic.limits.latencyMs = OPERATION_LATENCY_MS;
    // The worst case the pipeline must clean up: a direct assignment in every account besides the group's.
    const userId = ic.snapshot().users.find((u) => u.userName === "leaver@example.com")?.userId ?? "";
    const permissionSetArn = ic.snapshot().permissionSets[0]?.arn ?? "";
    for (const account of estate.organization.accounts.slice(1)) {
      ic.seed.assignment({
        accountId: account.id,
        permissionSetArn,
        principalType: "USER",
        principalId: userId,
      });
    }
    const okta = stack.emulators.okta;
    const user = okta.state.user("leaver@example.com");
    await fetch(`${stack.url}/api/v1/users/${user?.id}/lifecycle/deactivate`, {
      method: "POST",
      headers: { authorization: `SSWS ${okta.apiToken}` },
    });
    const key = await stack.waitForEvidence(String(user?.id), "run", 600_000);
    const record = JSON.parse(await stack.adapters.evidence.get(key));
    const t = record.body.timings;
    if (!record.body.verification?.passed) throw new Error(`verification failed for ${accounts} accounts`);
    const seconds = (Date.parse(t.accessRemoved) - Date.parse(t.oktaPublished)) / 1000;
    const denySeconds = (Date.parse(t.denyInForce) - Date.parse(t.oktaPublished)) / 1000;
    // Bound: deletions run 10 at a time, each taking its latency rounded up to the poll interval,
    // and the deletion calls alone cannot go faster than the sso-admin TPS.
    const perOperation = Math.ceil(OPERATION_LATENCY_MS / POLL_MS) * POLL_MS;
    const boundSeconds = Math.max(
      (Math.ceil(accounts / MAX_OUTSTANDING_ASSIGNMENT_OPERATIONS) * perOperation) / 1000,
      accounts / SSO_ADMIN_TPS,
    );
    return { accounts, seconds, boundSeconds, denySeconds, deletions: accounts };
  } finally {
    await stack.stop();
  }
}

const cases: Case[] = [];
for (const accounts of [10, 35, 140]) {
  process.stdout.write(`leaver with access in ${accounts} accounts... `);
  const c = await measure(accounts);
  cases.push(c);
  console.log(
    `Deny in force ${c.denySeconds.toFixed(2)} s; all access removed ${c.seconds.toFixed(2)} s (bound ${c.boundSeconds.toFixed(2)} s, ratio ${(c.seconds / c.boundSeconds).toFixed(2)})`,
  );
}
await mkdir("bench/results", { recursive: true });
await writeFile(
  "bench/results/leaver.json",
  `${JSON.stringify({ cases: cases.map(({ accounts, seconds, boundSeconds, denySeconds }) => ({ accounts, seconds, boundSeconds, denySeconds })) }, null, 2)}\n`,
);
console.log("wrote bench/results/leaver.json");
