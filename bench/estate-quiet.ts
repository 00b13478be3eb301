// bench/estate-quiet: what a quiet hour of a 1,000-account estate costs now that Identity Center changes
// made outside the tool start scoped runs and the full read is a daily safety net (issue 17), and how
// long a console edit takes to be judged and repaired.
// - Quiet hour: no CloudTrail event from anyone but the tool, so no scoped run; the hour's work is 1/24
//   of the daily full read (OAL_ESTATE_SCHEDULE=rate(1 day)). The full read is measured on a settled
//   estate of 1,000 accounts and 10,000 users (the reconcile bench's shape), counting the sso-admin,
//   identitystore and organizations requests the emulators receive; the tool's own calls during it
//   must start no run.
// - Console edit: a CreateAccountAssignment signed by someone else (an owned pair no rule grants), and an
//   inline policy edit, on a stack with AWS-like latency and limits and the deployed 30 s coalescing
//   window; the time from the call to the scoped run's end, and to the assignment's removal, next to
//   the bound window + settle + reads / rate + one operation.
// Run: npm run bench -- estate-quiet [--accounts N]   (writes bench/results/estate-quiet.json)
import { mkdir, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import {
  CreateAccountAssignmentCommand,
  PutInlinePolicyToPermissionSetCommand,
  SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import { DEFAULT_ESTATE_COALESCING } from "../core/dispatch/estate-window.ts";
import { localClientConfig } from "../local/emulators/aws-json-server.ts";
import { EstateFile } from "../local/estate/schema.ts";
import { randomHookSecret } from "../local/local-secrets.ts";
import { ESTATE_RECONCILE_ARN, type LocalStack, startLocalStack } from "../local/stack/local-stack.ts";
import { reconcileEstate } from "../usecases/reconcile-estate/reconcile-estate.ts";

const TPS = 20; // the sso-admin budget in AWS
const OPERATION_MS = 1_000; // an assignment operation takes about a second in AWS
const PERMISSION_SETS = [
  "ReadOnly",
  "DeveloperAccess",
  "PlatformAdmin",
  "BillingViewer",
  "SecurityAudit",
  "DataEngineer",
];
const GROUPS = ["platform", "developers", "readonly", "billing", "security", "data", "support", "sre"];
const OU = { prod: "ou-be01-prod0001", nonprod: "ou-be01-nonp0001", sandbox: "ou-be01-sand0001" };
const RULES = [
  { name: "platform", group: "aws-platform", permissionSet: "PlatformAdmin", ous: ["r-be01"] },
  { name: "readonly", group: "aws-readonly", permissionSet: "ReadOnly", ous: ["r-be01"] },
  { name: "security", group: "aws-security", permissionSet: "SecurityAudit", ous: ["r-be01"] },
  { name: "devs", group: "aws-developers", permissionSet: "DeveloperAccess", ous: [OU.nonprod, OU.sandbox] },
  { name: "devs-prod", group: "aws-developers", permissionSet: "ReadOnly", ous: [OU.prod] },
  { name: "data", group: "aws-data", permissionSet: "DataEngineer", ous: [OU.prod] },
];
const POLICY = `version: 1
managementAccountId: "999999999999"
permissionSets: { ${PERMISSION_SETS.map((p) => `${p}: {}`).join(", ")} }
rules:
${RULES.map((r) => `  - { name: ${r.name}, group: ${r.group}, permissionSet: ${r.permissionSet}, targets: { ous: [${r.ous.join(", ")}] } }`).join("\n")}
guards: { maxDeletes: 1000000, maxDeletePercent: 100 }
`;

const accountIds = (n: number) => Array.from({ length: n }, (_, i) => String(300000000000 + i));

/** The estate, settled: Identity Center already holds what the policy grants. */
function settledEstate(accounts: number, users: number) {
  const parent = (i: number) => (i % 5 < 2 ? OU.prod : i % 5 < 4 ? OU.nonprod : OU.sandbox);
  const logins = Array.from({ length: users }, (_, i) => `user${i}@example.com`);
  return EstateFile.parse({
    organization: {
      managementAccountId: "999999999999",
      rootId: "r-be01",
      units: Object.values(OU).map((id) => ({ id, name: id, parentId: "r-be01" })),
      accounts: [
        { id: "999999999999", name: "management", parentId: "r-be01" },
        ...accountIds(accounts).map((id, i) => ({ id, name: `acct-${i}`, parentId: parent(i) })),
      ],
    },
    okta: {
      users: logins.map((login, i) => ({ login, firstName: "User", lastName: String(i), status: "ACTIVE" })),
      groups: GROUPS.map((g) => ({ name: `aws-${g}` })),
      memberships: logins.map((user, i) => ({ group: `aws-${GROUPS[i % GROUPS.length]}`, user })),
    },
    identityCenter: {
      permissionSets: PERMISSION_SETS.map((name) => ({ name, sessionDuration: "PT1H" })),
      assignments: RULES.map((r) => ({ group: r.group, permissionSet: r.permissionSet, ous: r.ous })),
    },
  });
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
const estateRuns = (stack: LocalStack) =>
  stack.stepFunctions.executions().filter((e) => e.stateMachineArn === ESTATE_RECONCILE_ARN);

/** Requests the emulators received since the last reset, per service. */
function counter(stack: LocalStack) {
  const reset = () => {
    stack.emulators.identityCenter.resetCallCounts();
    stack.emulators.organizations.resetCallCounts();
  };
  const read = () => {
    const ic = stack.emulators.identityCenter.snapshot().calls;
    const ssoAdmin = sum(ic.ssoAdmin);
    const identityStore = sum(ic.identityStore);
    const organizations = sum(stack.emulators.organizations.callCounts());
    return { ssoAdmin, identityStore, organizations, total: ssoAdmin + identityStore + organizations };
  };
  return { reset, read };
}

/** An owned (group, permission set) pair no rule grants on a Prod account: developers' DeveloperAccess. */
function handMadeAssignment(stack: LocalStack, accountId: string) {
  const ic = stack.emulators.identityCenter.snapshot();
  return {
    InstanceArn: stack.emulators.identityCenter.instanceArn,
    TargetId: accountId,
    TargetType: "AWS_ACCOUNT" as const,
    PermissionSetArn: ic.permissionSets.find((p) => p.name === "DeveloperAccess")?.arn ?? "",
    PrincipalType: "GROUP" as const,
    PrincipalId: ic.groups.find((g) => g.displayName === "aws-developers")?.groupId ?? "",
  };
}
const held = (stack: LocalStack, a: ReturnType<typeof handMadeAssignment>) =>
  stack.emulators.identityCenter
    .snapshot()
    .assignments.some(
      (x) =>
        x.accountId === a.TargetId &&
        x.permissionSetArn === a.PermissionSetArn &&
        x.principalId === a.PrincipalId,
    );
const personAt = (stack: LocalStack) =>
  new SSOAdminClient({
    ...localClientConfig(stack.url),
    credentials: { accessKeyId: "console-admin", secretAccessKey: "console-admin" },
  });

async function until(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function quietHour(accounts: number, users: number) {
  const stack = await startLocalStack({
    port: 0,
    estate: settledEstate(accounts, users),
    policyYaml: POLICY,
    hookSecret: randomHookSecret(),
    pollMs: 5,
  });
  try {
    const calls = counter(stack);
    // The daily full read of a settled estate. Its AWS requests are its reads (a settled estate plans
    // nothing); writing its evidence (an access snapshot of every user x assignment) costs S3 time, not
    // AWS API calls, and is the reconcile bench's, so it is not applied here.
    const runsBefore = estateRuns(stack).length;
    calls.reset();
    const full = await reconcileEstate(stack.estateDeps("bench-quiet-full"), {
      apply: false,
      trigger: { type: "schedule", schedule: "daily" },
    });
    const fullRead = calls.read();
    await stack.idle();
    const selfTriggered = estateRuns(stack).length - runsBefore;
    if (full.plan.actions.length > 0)
      throw new Error(`the settled estate planned ${full.plan.actions.length} actions`);

    // One scoped run: a hand-made assignment on a Prod account, judged and removed.
    const edit = handMadeAssignment(stack, accountIds(accounts)[0] ?? "");
    const person = personAt(stack);
    calls.reset();
    await person.send(new CreateAccountAssignmentCommand(edit));
    await stack.idle();
    await until("the scoped run's repair", () => !held(stack, edit), 60_000);
    const scopedRun = calls.read();
    person.destroy();
    const scopedRuns = estateRuns(stack).length - runsBefore - selfTriggered;
    return {
      fullRead,
      selfTriggered,
      scopedRun,
      scopedRuns,
      pairs: full.input.identityCenter.provisioned.length,
    };
  } finally {
    await stack.stop();
  }
}

/** Console edit -> repair on a stack with AWS-like latency and limits and the deployed coalescing window. */
async function consoleEdits(accounts: number, users: number) {
  const stack = await startLocalStack({
    port: 0,
    estate: settledEstate(accounts, users),
    policyYaml: POLICY,
    hookSecret: randomHookSecret(),
    latency: "aws",
    pollMs: OPERATION_MS,
    estateCoalesceWindowMs: DEFAULT_ESTATE_COALESCING.windowMs,
  });
  stack.emulators.identityCenter.limits.latencyMs = OPERATION_MS;
  const person = personAt(stack);
  const calls = counter(stack);
  try {
    // Assignment: from the call to its removal by the scoped run.
    const edit = handMadeAssignment(stack, accountIds(accounts)[0] ?? "");
    const before = estateRuns(stack).length;
    calls.reset();
    const t0 = performance.now();
    await person.send(new CreateAccountAssignmentCommand(edit));
    await until("the hand-made assignment", () => held(stack, edit), 30_000);
    await until("its removal", () => !held(stack, edit), 120_000);
    const assignmentRepairMs = performance.now() - t0;
    await stack.idle();
    const assignmentCalls = calls.read();

    // Inline policy edit: from the call to the end of the run scoped to the permission set.
    const set = stack.emulators.identityCenter.snapshot().permissionSets[0];
    const runsBefore = estateRuns(stack).length;
    const t1 = performance.now();
    await person.send(
      new PutInlinePolicyToPermissionSetCommand({
        InstanceArn: stack.emulators.identityCenter.instanceArn,
        PermissionSetArn: set?.arn,
        InlinePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
        }),
      }),
    );
    await until(
      "the permission set's scoped run",
      () =>
        estateRuns(stack)
          .slice(runsBefore)
          .some((r) => r.status !== "RUNNING"),
      120_000,
    );
    const inlineJudgedMs = performance.now() - t1;
    const runs = estateRuns(stack).slice(before);
    return { assignmentRepairMs, assignmentCalls, inlineJudgedMs, runs: runs.map((r) => r.status) };
  } finally {
    person.destroy();
    await stack.stop();
  }
}

const { values } = parseArgs({
  options: { accounts: { type: "string" }, "edit-accounts": { type: "string" } },
  allowPositionals: true,
  args: process.argv.slice(3),
});
const accounts = Number(values.accounts ?? 1000);
const users = accounts * 10;
const editAccounts = Number(values["edit-accounts"] ?? 35);

const quiet = await quietHour(accounts, users);
const hourly = (n: number) => Math.round((n / 24) * 10) / 10;
const quietHourCalls = {
  ssoAdmin: hourly(quiet.fullRead.ssoAdmin),
  identityStore: hourly(quiet.fullRead.identityStore),
  organizations: hourly(quiet.fullRead.organizations),
  total: hourly(quiet.fullRead.total),
};
console.log(
  `quiet hour, ${accounts} accounts / ${users} users (${quiet.pairs} provisioned pairs): 0 scoped runs + 1/24 of the daily full read (${quiet.fullRead.total} calls: ${quiet.fullRead.ssoAdmin} sso-admin, ${quiet.fullRead.identityStore} identitystore, ${quiet.fullRead.organizations} organizations) = ${quietHourCalls.total} calls/hour (target < 100; an hourly full read would cost ${quiet.fullRead.total}/hour); runs the tool's own calls started: ${quiet.selfTriggered} (bound 0)`,
);
// An hour with no change outside the tool starts no run (the tool's own calls start none: measured
// above), so it costs nothing; the full read's cost is spread over its schedule.
const noChangeHourCalls = quiet.selfTriggered === 0 ? 0 : Number.NaN;
const daysForTarget = Math.max(1, Math.ceil(quiet.fullRead.total / (24 * 100) + 1e-9));
const scheduleForTarget = {
  expression: daysForTarget === 1 ? "rate(1 day)" : `rate(${daysForTarget} days)`,
  amortizedCalls: Math.round((quiet.fullRead.total / (24 * daysForTarget)) * 10) / 10,
};
console.log(
  `hours with no change: ${noChangeHourCalls} calls; amortized with the daily safety net: ${quietHourCalls.total} calls/hour; < 100 with ${scheduleForTarget.expression}: ${scheduleForTarget.amortizedCalls} calls/hour`,
);
console.log(
  `one scoped run (hand-made assignment): ${quiet.scopedRun.total} calls (${quiet.scopedRun.ssoAdmin} sso-admin incl. the repair, ${quiet.scopedRun.identityStore} identitystore, ${quiet.scopedRun.organizations} organizations) vs ${quiet.fullRead.total} for a full read; runs started: ${quiet.scopedRuns}`,
);

const edits = await consoleEdits(editAccounts, editAccounts * 10);
const window = DEFAULT_ESTATE_COALESCING.windowMs + DEFAULT_ESTATE_COALESCING.settleMs;
const readSeconds = (c: { ssoAdmin: number; identityStore: number }) => (c.ssoAdmin + c.identityStore) / TPS;
// Bound: the run waits for its window to close (at most window + settle after the event), reads at the
// rate limit, and the deletion takes one operation (plus one poll).
const assignmentBoundMs = window + readSeconds(edits.assignmentCalls) * 1000 + 2 * OPERATION_MS;
console.log(
  `console edit -> repair (${editAccounts} accounts, AWS-like latency, ${DEFAULT_ESTATE_COALESCING.windowMs / 1000} s window): hand-made assignment removed in ${(edits.assignmentRepairMs / 1000).toFixed(1)} s (bound ${(assignmentBoundMs / 1000).toFixed(1)} s = window ${window / 1000} s + ${edits.assignmentCalls.ssoAdmin + edits.assignmentCalls.identityStore} reads and writes / ${TPS} TPS + 2 s operation); inline policy edit judged in ${(edits.inlineJudgedMs / 1000).toFixed(1)} s; runs ${edits.runs.join(", ")}`,
);

await mkdir("bench/results", { recursive: true });
await writeFile(
  "bench/results/estate-quiet.json",
  `${JSON.stringify(
    {
      accounts,
      users,
      provisionedPairs: quiet.pairs,
      fullRead: quiet.fullRead,
      quietHourCalls,
      quietHourTarget: 100,
      noChangeHourCalls,
      scheduleForTarget,
      hourlyFullReadBefore: quiet.fullRead.total,
      selfTriggeredRuns: quiet.selfTriggered,
      scopedRun: quiet.scopedRun,
      consoleEdit: {
        accounts: editAccounts,
        coalescingWindowMs: DEFAULT_ESTATE_COALESCING.windowMs,
        assignmentRepairSeconds: Math.round(edits.assignmentRepairMs) / 1000,
        assignmentBoundSeconds: Math.round(assignmentBoundMs) / 1000,
        assignmentCalls: edits.assignmentCalls,
        inlinePolicyJudgedSeconds: Math.round(edits.inlineJudgedMs) / 1000,
        runs: edits.runs,
      },
    },
    null,
    2,
  )}\n`,
);
console.log("wrote bench/results/estate-quiet.json");
