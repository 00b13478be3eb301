// bench/layoff: a layoff (issue 17). K users of an estate of N accounts and M users are deactivated in
// Okta within a minute, through the Okta API, so the hook, dispatch and the user runs carry them, on
// the local stack at AWS-like latency and limits. Prints, next to their bounds: each leaver's event ->
// Deny in force (p50, p99, max), the first event -> every leaver's access removed against the time the
// operations the runs made need at the rate limits, the SCP and inline sizes used, whether the mass
// fallback was needed, runs failed and evidence records.
// Run: npm run bench -- layoff [--accounts N] [--users M] [--leavers K] [--window-seconds S]
//      [--max-concurrent-tasks T] [--timeout-minutes W]
//      [--okta-headers principal|org] [--okta-session-clear-bucket users-id|default|own]
//      (default 1000 / 10000 / 1000 / 60; writes bench/results/layoff.json; the two Okta switches,
//      docs/okta-behaviour.md, default to the emulator's)
import { mkdir, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { identityLinksToRecord } from "../core/identity/estate-identity-links.ts";
import { MASS_FALLBACK_SID } from "../core/revocation/mass-fallback.ts";
import { EstateFile } from "../local/estate/schema.ts";
import { randomHookSecret, randomOktaApiToken } from "../local/local-secrets.ts";
import { startLocalStack } from "../local/stack/local-stack.ts";

const { values } = parseArgs({
  allowPositionals: true, // `npm run bench -- layoff ...` passes the benchmark's name first
  options: {
    accounts: { type: "string", default: "1000" },
    users: { type: "string", default: "10000" },
    leavers: { type: "string", default: "1000" },
    "window-seconds": { type: "string", default: "60" },
    "timeout-minutes": { type: "string", default: "30" },
    // Lambda runs a task per invocation (1,000 concurrent by default); the local runtime bounds them by
    // the machine's cores (local/runtime/task-concurrency.ts), which queues a layoff's runs.
    "max-concurrent-tasks": { type: "string" },
    // What Okta's docs leave open about its rate limits (local/emulators/okta/rate-limits.ts)
    "okta-headers": { type: "string", default: "principal" },
    "okta-session-clear-bucket": { type: "string", default: "users-id" },
  },
});
const oneOf = <T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T => {
  if (!allowed.includes(value as T)) {
    console.error(`--${name}: "${value}" must be one of ${allowed.join(", ")}`);
    process.exit(1);
  }
  return value as T;
};
const OKTA_HEADERS = oneOf("okta-headers", values["okta-headers"], ["principal", "org"] as const);
const SESSION_CLEAR_BUCKET = oneOf("okta-session-clear-bucket", values["okta-session-clear-bucket"], [
  "users-id",
  "default",
  "own",
] as const);
const whole = (name: string, value: string | undefined, min: number) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name}: "${value}" must be a whole number of at least ${min}`);
    process.exit(1);
  }
  return n;
};
const ACCOUNTS = whole("accounts", values.accounts, 1);
const USERS = whole("users", values.users, 2);
const LEAVERS = whole("leavers", values.leavers, 1);
const WINDOW_MS = whole("window-seconds", values["window-seconds"], 0) * 1000;
const TIMEOUT_MS = whole("timeout-minutes", values["timeout-minutes"], 1) * 60_000;
const MAX_CONCURRENT_TASKS =
  values["max-concurrent-tasks"] === undefined
    ? undefined
    : whole("max-concurrent-tasks", values["max-concurrent-tasks"], 1);
if (LEAVERS >= USERS) {
  console.error(`--leavers (${LEAVERS}) must be fewer than --users (${USERS})`);
  process.exit(1);
}

/** The emulators' AWS-like limits (local-stack.ts latency "aws", identity-center/options.ts). */
const SSO_ADMIN_TPS = 20;
const IDENTITY_STORE_TPS = 50;
/** Users per group: every user is in one group, each group holds DeveloperAccess on every workload account. */
const GROUPS = Math.max(1, Math.ceil(USERS / 500));
const SECRET = randomHookSecret();

const login = (i: number) => `user${String(i).padStart(5, "0")}@example.com`;

function layoffEstate() {
  const ids = Array.from({ length: ACCOUNTS }, (_, i) => String(200000000000 + i));
  const users = Array.from({ length: USERS }, (_, i) => ({
    login: login(i),
    firstName: "User",
    lastName: String(i),
    status: "ACTIVE" as const,
  }));
  return EstateFile.parse({
    organization: {
      managementAccountId: "999999999999",
      rootId: "r-la01",
      units: [{ id: "ou-la01-workload", name: "Workloads", parentId: "r-la01" }],
      accounts: [
        { id: "999999999999", name: "management", parentId: "r-la01" },
        ...ids.map((id, i) => ({ id, name: `workload-${i}`, parentId: "ou-la01-workload" })),
      ],
    },
    okta: {
      users,
      groups: Array.from({ length: GROUPS }, (_, g) => ({ name: `aws-team-${g}` })),
      memberships: users.map((u, i) => ({ group: `aws-team-${i % GROUPS}`, user: u.login })),
    },
    identityCenter: {
      permissionSets: [{ name: "DeveloperAccess", sessionDuration: "PT4H" }],
      assignments: Array.from({ length: GROUPS }, (_, g) => ({
        group: `aws-team-${g}`,
        permissionSet: "DeveloperAccess",
        ous: ["ou-la01-workload"],
      })),
    },
  });
}

const POLICY = `version: 1
managementAccountId: "999999999999"
revocation:
  hold: PT12H
  massFallback: auto
permissionSets: { DeveloperAccess: { sessionDuration: PT4H } }
rules:
${Array.from({ length: GROUPS }, (_, g) => `  - { name: team-${g}, group: aws-team-${g}, permissionSet: DeveloperAccess, targets: { ous: [ou-la01-workload] } }`).join("\n")}
`;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

const startedAt = performance.now();
process.stdout.write(
  `layoff: ${ACCOUNTS} accounts, ${USERS} users in ${GROUPS} groups, ${LEAVERS} leavers within ${WINDOW_MS / 1000} s ` +
    `(Okta headers: ${OKTA_HEADERS}, session clears in ${SESSION_CLEAR_BUCKET}); starting the stack... `,
);
const stack = await startLocalStack({
  port: 0,
  estate: layoffEstate(),
  policyYaml: POLICY,
  hookSecret: SECRET,
  holdSeconds: 3600,
  pollMs: 1000,
  latency: "aws",
  log: () => {},
  ...(MAX_CONCURRENT_TASKS === undefined ? {} : { maxConcurrentTasks: MAX_CONCURRENT_TASKS }),
});
console.log(`up in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
try {
  const okta = stack.emulators.okta;
  okta.rateLimits.settings.principalHeaders = OKTA_HEADERS;
  okta.rateLimits.settings.sessionClearBucket = SESSION_CLEAR_BUCKET;
  const ic = stack.emulators.identityCenter;
  await stack.idle();
  // A settled estate: its estate runs have recorded each user's identity link, which lets a leaver be
  // denied before their access is read (usecases/reconcile-user/read-user-truth.ts). Recorded with the
  // estate run's own step, without the full read of 1,000 accounts that comes with it.
  const links = identityLinksToRecord(
    stack.policy,
    {
      users: okta.state.users().map((u) => ({
        id: u.id,
        login: String(u.profile.login),
        status: u.status,
        profile: Object.fromEntries(
          Object.entries(u.profile).map(([k, v]) => [k, typeof v === "string" ? v : null]),
        ),
      })),
    },
    { users: ic.snapshot().users.map((u) => ({ userId: u.userId, userName: String(u.userName) })) },
    [],
    new Date().toISOString(),
  );
  await stack.adapters.links.putMany(links);
  console.log(`identity links recorded as an estate run records them: ${links.length}`);
  ic.resetCallCounts();
  const leavers = Array.from({ length: LEAVERS }, (_, i) => {
    // Spread over the user list, so every group loses some.
    const user = okta.state.user(login(Math.floor((i * USERS) / LEAVERS)));
    if (!user) throw new Error(`no Okta user ${login(i)}`);
    return user.id;
  });
  // The layoff comes from HR (an HR-driven import, Okta Workflows or an admin): another principal than
  // the tool's token, so the deactivations spend their own share of Okta's per-token rate limits.
  // Its token is made for this run: never a committed literal that reads like a credential.
  const hr = okta.tokens.add({
    token: randomOktaApiToken(),
    id: "00Tbenchlayoffhr0000",
    creator: { id: "00ubenchlayoffhr0000", login: "hr-system@example.com", displayName: "HR system" },
    roles: [{ type: "SUPER_ADMIN" }],
  });
  // The tool's calls Okta admitted, per endpoint family: its share of each bucket bounds them.
  const oktaAdmitted = new Map<string, number>();
  // ...and those it refused (429): a refused read waits for the next minute window, Deny and all.
  const oktaThrottled = new Map<string, number>();
  const take = okta.rateLimits.take.bind(okta.rateLimits);
  okta.rateLimits.take = (family, nowMs, principal) => {
    const decision = take(family, nowMs, principal);
    if (principal !== undefined && principal !== hr.id) {
      const counts = decision.allowed ? oktaAdmitted : oktaThrottled;
      counts.set(family, (counts.get(family) ?? 0) + 1);
    }
    return decision;
  };
  // Deactivate through the API, evenly within the window; a 429 is retried after Okta's reset.
  const deactivate = async (id: string) => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const response = await fetch(`${stack.url}/api/v1/users/${id}/lifecycle/deactivate`, {
        method: "POST",
        headers: { authorization: `SSWS ${hr.token}`, accept: "application/json" },
      });
      if (response.status !== 429) {
        if (!response.ok) throw new Error(`deactivate ${id}: HTTP ${response.status}`);
        return;
      }
      const reset = Number(response.headers.get("x-rate-limit-reset")) * 1000;
      await new Promise((r) => setTimeout(r, Math.max(100, reset - Date.now())));
    }
    throw new Error(`deactivate ${id}: still rate-limited after 20 attempts`);
  };
  const t0 = Date.now();
  await Promise.all(
    leavers.map(async (id, i) => {
      await new Promise((r) => setTimeout(r, (i * WINDOW_MS) / LEAVERS));
      await deactivate(id);
    }),
  );
  console.log(`${LEAVERS} deactivations sent in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // How busy the identity store was while the events arrived (the bound assumes it busy throughout).
  const windowSnapshot = ic.snapshot();
  const identityStoreInWindow =
    sum(windowSnapshot.calls.identityStore) - sum(windowSnapshot.throttled.identityStore);

  // Each leaver's run record (the run name carries the Okta id): a listing every 5 s, new keys matched
  // once (listing and matching every key each second starved the runs of the process's one thread).
  const records = new Map<string, string>();
  const pending = new Set(leavers);
  // The operations that grew most since the last report.
  let lastCalls: Record<string, number> = {};
  const busiest = (now: Record<string, number>) => {
    const grew = Object.entries(now)
      .map(([op, n]) => [op, n - (lastCalls[op] ?? 0)] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3);
    lastCalls = { ...now };
    return grew.map(([op, n]) => `${op} +${n}`).join(", ");
  };
  const matched = new Set<string>();
  const deadline = Date.now() + TIMEOUT_MS;
  let lastReport = 0;
  let lastCount = 0;
  let lastProgress = Date.now();
  while (records.size < LEAVERS && Date.now() < deadline) {
    const keys = (await stack.adapters.evidence.list("v1/runs/")).filter((k) => k.endsWith(".run.json"));
    for (const key of keys) {
      if (matched.has(key)) continue;
      matched.add(key);
      for (const id of pending)
        if (key.includes(id)) {
          records.set(id, key);
          pending.delete(id);
          break;
        }
    }
    if (Date.now() - lastReport > 30_000) {
      lastReport = Date.now();
      const slots = stack.stepFunctions.taskConcurrency.load();
      const { calls: sofar, throttled: held } = ic.snapshot();
      const failedSoFar = stack.stepFunctions.executions().filter((e) => e.status === "FAILED").length;
      console.log(
        `  ${records.size}/${LEAVERS} run records after ${((Date.now() - t0) / 1000).toFixed(0)} s, ${failedSoFar} runs failed ` +
          `(tasks running ${slots.running} ${JSON.stringify(slots.byState)}, waiting ${slots.urgent} urgent + ${slots.other}; ` +
          `sso-admin calls ${sum(sofar.ssoAdmin)}, ${sum(held.ssoAdmin)} throttled, busiest ${busiest(sofar.ssoAdmin)})`,
      );
    }
    // Nothing left to run and no record for a minute: the missing runs ended without one (the failed
    // ones are reported below); waiting for the timeout would only delay the figures.
    const slots = stack.stepFunctions.taskConcurrency.load();
    if (records.size > lastCount || slots.running + slots.urgent + slots.other > 0) {
      lastCount = records.size;
      lastProgress = Date.now();
    } else if (Date.now() - lastProgress > 60_000) {
      console.log(`  no run record for 60 s with no task left: stopping at ${records.size}/${LEAVERS}`);
      break;
    }
    if (records.size < LEAVERS) await new Promise((r) => setTimeout(r, 5000));
  }
  const { calls, throttled } = ic.snapshot();
  const ssoAdminCalls = sum(calls.ssoAdmin);
  const identityStoreCalls = sum(calls.identityStore);
  // A throttled call takes no token: only the admitted ones count against the rate (the bound).
  const ssoAdminAdmitted = ssoAdminCalls - sum(throttled.ssoAdmin);
  const identityStoreAdmitted = identityStoreCalls - sum(throttled.identityStore);

  const deny: number[] = [];
  // Where the Deny's time goes: event -> the run's plan step, then plan -> Deny in force.
  const toPlan: number[] = [];
  const planToDeny: number[] = [];
  let firstEvent = Number.POSITIVE_INFINITY;
  let lastRemoved = 0;
  let verified = 0;
  const unverifiedChecks: Record<string, number> = {};
  const failedActions: Record<string, number> = {};
  let fallbackFinding = false;
  const runIds = new Set<string>();
  for (const key of records.values()) {
    const record = JSON.parse(await stack.adapters.evidence.get(key));
    const t = record.body.timings;
    const published = Date.parse(t.oktaPublished);
    firstEvent = Math.min(firstEvent, published);
    if (t.denyInForce) deny.push(Date.parse(t.denyInForce) - published);
    if (t.runStarted) toPlan.push(Date.parse(t.runStarted) - published);
    if (t.runStarted && t.denyInForce) planToDeny.push(Date.parse(t.denyInForce) - Date.parse(t.runStarted));
    if (t.accessRemoved) lastRemoved = Math.max(lastRemoved, Date.parse(t.accessRemoved));
    if (record.body.verification?.passed) verified++;
    // Operations that failed, by kind and error (ids stripped): what made a read-back fail.
    for (const a of record.body.actions ?? [])
      if (a.status === "FAILED") {
        const why = `${a.kind}: ${a.error ?? "?"}`.replace(/[0-9a-f]{8,}|\d{6,}/gi, "#").slice(0, 200);
        failedActions[why] = (failedActions[why] ?? 0) + 1;
      }
    // What a read-back could not confirm, by check (ids stripped), so an unverified run is explained.
    for (const d of record.body.verification?.details ?? [])
      if (!d.passed && d.skipped === undefined) {
        const check = `${d.check}${d.detail ? ` (${d.detail})` : ""}`.replace(/[0-9a-f]{8,}|\d{6,}/gi, "#");
        unverifiedChecks[check] = (unverifiedChecks[check] ?? 0) + 1;
      }
    if ((record.body.plan?.findings ?? []).some((f: { kind: string }) => f.kind === "mass-fallback"))
      fallbackFinding = true;
    runIds.add(record.runId);
  }
  for (const list of [deny, toPlan, planToDeny]) list.sort((a, b) => a - b);
  const executions = stack.stepFunctions.executions();
  const failed = executions.filter((e) => e.status === "FAILED");
  const runsFailed = failed.length;
  // Why runs failed, grouped by error and the cause's first 160 characters (ids stripped).
  const failureCauses: Record<string, number> = {};
  for (const e of failed) {
    const why = `${e.error ?? "?"}: ${(e.cause ?? "").replace(/\buser-\S+|[0-9a-f]{8,}|\d{6,}/gi, "#").slice(0, 160)}`;
    failureCauses[why] = (failureCauses[why] ?? 0) + 1;
  }
  const scps = (await stack.adapters.organizations.listRevocationScps()).map((s) => s.content);
  const inline = ic
    .snapshot()
    .permissionSets.map((p) => p.inlinePolicy)
    .filter((p): p is string => typeof p === "string" && p.length > 0);
  const fallbackUsed = fallbackFinding || scps.some((c) => c.includes(MASS_FALLBACK_SID));
  const removedSeconds = (lastRemoved - firstEvent) / 1000;
  // The bound: the events themselves arrive over the window, and the operations the runs made cannot
  // go faster than the emulators' AWS-like rates allow.
  const spreadSeconds = WINDOW_MS / 1000;
  // Okta: the tool's token may use its share of each family's per-minute bucket.
  const oktaSeconds = Object.fromEntries(
    [...oktaAdmitted].map(([family, n]) => [
      family,
      (n / okta.rateLimits.principalLimit(family as Parameters<typeof okta.rateLimits.principalLimit>[0])) *
        60,
    ]),
  );
  const oktaBound = Object.entries(oktaSeconds).sort((a, b) => b[1] - a[1])[0] ?? ["none", 0];
  const boundSeconds = Math.max(
    spreadSeconds,
    ssoAdminAdmitted / SSO_ADMIN_TPS,
    identityStoreAdmitted / IDENTITY_STORE_TPS,
    oktaBound[1],
  );
  const result = {
    accounts: ACCOUNTS,
    users: USERS,
    groups: GROUPS,
    leavers: LEAVERS,
    windowSeconds: spreadSeconds,
    maxConcurrentTasks: MAX_CONCURRENT_TASKS ?? "default (local/runtime/task-concurrency.ts)",
    oktaSwitches: { principalHeaders: OKTA_HEADERS, sessionClearBucket: SESSION_CLEAR_BUCKET },
    denyP50Ms: percentile(deny, 50),
    denyP99Ms: percentile(deny, 99),
    denyMaxMs: deny.at(-1) ?? Number.NaN,
    eventToPlanP50Ms: percentile(toPlan, 50),
    eventToPlanP99Ms: percentile(toPlan, 99),
    planToDenyP50Ms: percentile(planToDeny, 50),
    planToDenyP99Ms: percentile(planToDeny, 99),
    removedSeconds,
    boundSeconds,
    ratio: removedSeconds / boundSeconds,
    fallbackUsed,
    runsFailed,
    runsStarted: executions.length,
    failureCauses,
    evidenceRecords: records.size,
    verified,
    unverifiedChecks,
    failedActions,
    scpChars: scps.map((c) => c.length),
    inlineChars: inline.map((c) => c.length),
    ssoAdminCalls,
    ssoAdminAdmitted,
    identityStoreAdmitted,
    oktaCallsByFamily: Object.fromEntries(oktaAdmitted),
    oktaSecondsByFamily: oktaSeconds,
    identityStoreCalls,
    ssoAdminCallsPerLeaver: ssoAdminCalls / LEAVERS,
    identityStoreCallsPerLeaver: identityStoreCalls / LEAVERS,
    ssoAdminCallsByOperation: calls.ssoAdmin,
    ssoAdminThrottled: sum(throttled.ssoAdmin),
    identityStoreCallsByOperation: calls.identityStore,
    identityStoreAdmittedInWindow: identityStoreInWindow,
    oktaThrottledByFamily: Object.fromEntries(oktaThrottled),
  };
  const ok = (pass: boolean) => (pass ? "ok" : "MISSED");
  console.log(
    `event -> Deny in force: p50 ${(result.denyP50Ms / 1000).toFixed(2)} s, p99 ${(result.denyP99Ms / 1000).toFixed(2)} s (target < 10 s: ${ok(result.denyP99Ms < 10_000)}), max ${(result.denyMaxMs / 1000).toFixed(2)} s`,
  );
  console.log(
    `  of which event -> plan step p50 ${(result.eventToPlanP50Ms / 1000).toFixed(2)} s, p99 ${(result.eventToPlanP99Ms / 1000).toFixed(2)} s; ` +
      `plan -> Deny in force p50 ${(result.planToDenyP50Ms / 1000).toFixed(2)} s, p99 ${(result.planToDenyP99Ms / 1000).toFixed(2)} s`,
  );
  console.log(
    `first event -> all access removed: ${removedSeconds.toFixed(1)} s; bound ${boundSeconds.toFixed(1)} s ` +
      `(max of the ${spreadSeconds} s window, ${ssoAdminAdmitted} admitted sso-admin calls / ${SSO_ADMIN_TPS} TPS, ` +
      `${identityStoreAdmitted} admitted identity-store calls / ${IDENTITY_STORE_TPS} TPS, ` +
      `Okta ${oktaBound[0]}: ${oktaAdmitted.get(oktaBound[0]) ?? 0} calls at the token's ` +
      `${oktaBound[0] === "none" ? 0 : okta.rateLimits.principalLimit(oktaBound[0] as Parameters<typeof okta.rateLimits.principalLimit>[0])}/min); ratio ${result.ratio.toFixed(2)} (target <= 1.25: ${ok(result.ratio <= 1.25)})`,
  );
  console.log(
    `  identity store during the ${spreadSeconds} s window: ${identityStoreInWindow} calls admitted, ` +
      `${((100 * identityStoreInWindow) / (IDENTITY_STORE_TPS * spreadSeconds)).toFixed(0)}% of its ${IDENTITY_STORE_TPS} TPS; ` +
      `the tool's Okta calls refused (429): ${oktaThrottled.size === 0 ? "none" : JSON.stringify(Object.fromEntries(oktaThrottled))}`,
  );
  console.log(
    `SCPs: ${scps.length} slot(s) of ${result.scpChars.join(", ")} characters; inline policies: ${inline.length ? result.inlineChars.join(", ") : "none"}; fallback ${fallbackUsed ? "USED" : "not needed"}`,
  );
  console.log(
    `runs: ${executions.length} started, ${runsFailed} failed (target 0: ${ok(runsFailed === 0)}); evidence records ${records.size} of ${LEAVERS} (target one per leaver: ${ok(records.size === LEAVERS)}), ${verified} verified`,
  );
  for (const [why, count] of Object.entries(failureCauses)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5))
    console.log(`  failed x${count}: ${why}`);
  for (const [check, count] of Object.entries(unverifiedChecks)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5))
    console.log(`  not verified x${count}: ${check}`);
  for (const [why, count] of Object.entries(failedActions)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5))
    console.log(`  operation failed x${count}: ${why}`);
  console.log(
    `calls per leaver: sso-admin ${result.ssoAdminCallsPerLeaver.toFixed(1)} (${result.ssoAdminThrottled} of ${ssoAdminCalls} throttled), identity-store ${result.identityStoreCallsPerLeaver.toFixed(1)}`,
  );
  await mkdir(new URL("./results/", import.meta.url), { recursive: true });
  await writeFile(new URL("./results/layoff.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  console.log("wrote bench/results/layoff.json");
} finally {
  await stack.stop();
}
