import { loadAndVerifyPeriod } from "../adapters/evidence-reader.ts";
import type { Period } from "../core/evidence/period.ts";
import { loadPolicy } from "../core/policy/load-policy.ts";
import type { Policy } from "../core/policy/schema.ts";
import { OktaApiError } from "../local/emulators/okta/errors.ts";
import { estateOrganization } from "../local/estate/expand-assignments.ts";
import { randomHookSecret } from "../local/local-secrets.ts";
import { type LocalStack, startLocalStack } from "../local/stack/local-stack.ts";
import { CHAOS_USERS, chaosEstate, chaosPolicyYaml } from "./chaos-estate.ts";
import {
  checkAssignments,
  checkDenyInForce,
  checkEventsAccounted,
  checkNoAccess,
  checkNoDenyOutlivesHold,
  denyIdentity,
  fullyDenied,
} from "./invariants.ts";
import { computeOracle } from "./oracle.ts";
import type { Fault, FaultKind, Scenario, Step } from "./scenario.ts";

/** How a scenario runs. */
export interface RunOptions {
  /** The local Deny hold (seconds): short, so a history sees Denies put in force and lifted. @default 4 */
  holdSeconds?: number;
  /** Upper bound of each quiescence wait (ms); past it the history diverges ("did not settle"). @default 90000 */
  quiescenceTimeoutMs?: number;
  /** Receives the local stack's log (runs, evidence, dispatch): replay's --verbose. */
  log?: (line: string) => void;
  /** Called once the stack is up (the soak samples what the emulators retain). */
  onStack?: (stack: LocalStack) => void;
  /** Called with each step as it is applied (replay prints them). */
  onStep?: (index: number, step: Step, outcome: string) => void;
}

/** What one scenario did and found. */
export interface ScenarioResult {
  divergences: string[];
  steps: number;
  /** System Log events the history wrote. */
  events: number;
  /** Events the pipeline accepted (published to the lifecycle bus). */
  acceptedEvents: number;
  faults: Partial<Record<FaultKind, number>>;
  /** Slowest Okta event -> Deny in force of the leaver runs (ms), or null when there was none. */
  slowestTimeToRevokeMs: number | null;
  /** Whose revocation that was, and how its event arrived (`login via channel`). */
  slowestRevocation: string | null;
  failedExecutions: number;
  /** Each failed execution: name, error and cause (a failure is not a divergence by itself). */
  failures: string[];
  seconds: number;
}

const HOOK_SECRET = randomHookSecret();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withTimeout<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function policyOf(variant: number): Policy {
  const loaded = loadPolicy(chaosPolicyYaml(variant), `chaos-policy-${variant}.yaml`);
  if (!loaded.ok) throw new Error(`chaos policy variant ${variant} is invalid: ${loaded.errors[0]?.message}`);
  return loaded.policy;
}

/** Switches faults on and off on a running stack. */
class FaultSwitchboard {
  readonly injected: Partial<Record<FaultKind, number>> = {};
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly stack: LocalStack;
  constructor(stack: LocalStack) {
    this.stack = stack;
  }

  apply(fault: Fault): void {
    this.injected[fault.kind] = (this.injected[fault.kind] ?? 0) + 1;
    const off = this.switchOn(fault);
    if (off && "forMs" in fault) this.after(fault.forMs, off);
  }

  /** Switches a fault on; returns how to switch it off (counted faults wear off by themselves). */
  private switchOn(fault: Fault): (() => void) | undefined {
    const { identityCenter: ic, okta } = this.stack.emulators;
    const { hooks, tasks, evidence } = this.stack.faults;
    switch (fault.kind) {
      case "ic-throttle":
        ic.faults.throttleRate = fault.rate;
        return () => {
          ic.faults.throttleRate = 0;
        };
      case "ic-5xx":
        ic.faults.serverErrorRate = fault.rate;
        return () => {
          ic.faults.serverErrorRate = 0;
        };
      case "ic-failed-operations":
        ic.faults.failNextOperations += fault.count;
        return undefined;
      case "okta-429":
        okta.faults.force429Rate = fault.rate;
        return () => {
          okta.faults.force429Rate = 0;
        };
      case "okta-5xx":
        okta.faults.serverErrorRate = fault.rate;
        return () => {
          okta.faults.serverErrorRate = 0;
        };
      case "hook-drop":
        hooks.dropRate = fault.rate;
        return () => {
          hooks.dropRate = 0;
        };
      case "hook-duplicate":
        hooks.duplicateRate = fault.rate;
        return () => {
          hooks.duplicateRate = 0;
        };
      case "hook-delay":
        hooks.delayMs = { min: 0, max: fault.maxDelayMs };
        return () => {
          hooks.delayMs = { min: 0, max: 0 };
        };
      case "task-crash":
        tasks.crashTasks({ count: fault.count, when: fault.when });
        return undefined;
      case "evidence-outage":
        evidence.outage = true;
        return () => {
          evidence.outage = false;
        };
    }
  }

  private after(ms: number, off: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      off();
    }, ms);
    this.timers.add(timer);
  }

  /** Every fault off, now. */
  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.stack.faults.clear();
  }
}

/** Applies one Okta step through the emulator's operations (what the Okta API would do). */
function applyOktaStep(stack: LocalStack, step: Step, joined: Set<string>): string {
  const okta = stack.emulators.okta;
  const ctx = okta.internalContext();
  if (step.op === "join") {
    if (okta.state.user(step.user)) return "refused: login exists";
    const groupIds = step.groups.flatMap((g) => okta.state.groupNamed(g)?.id ?? []);
    const [first = "new"] = step.user.split("@");
    const created = okta.operations.createUser(ctx, {
      profile: { login: step.user, email: step.user, firstName: first, lastName: "Chaos" },
      groupIds,
      activate: true,
    });
    if (created instanceof OktaApiError) return `refused: ${created.message}`;
    joined.add(step.user);
    return "created";
  }
  if (step.op === "policy" || step.op === "fault" || step.op === "wait") return "n/a";
  const user = okta.state.user(step.user);
  if (user === undefined) return "refused: no such user";
  if (step.op === "add-to-group" || step.op === "remove-from-group") {
    const group = okta.state.groupNamed(step.group);
    if (group === undefined) return "refused: no such group";
    if (step.op === "add-to-group") okta.operations.addMember(ctx, group, user);
    else okta.operations.removeMember(ctx, group, user);
    return "done";
  }
  if (step.op === "delete") return okta.operations.deleteUser(ctx, user);
  const refused = okta.operations.lifecycle(ctx, user, step.op);
  return refused ? `refused: ${refused.errorCode}` : "done";
}

/**
 * Runs one scenario on a fresh local stack over the chaos estate: applies its steps, switches every
 * fault off, waits for quiescence (bounded), checks revocation while Denies are held, waits for the
 * holds to pass, runs one estate reconcile, and checks the final state against the oracle.
 */
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<ScenarioResult> {
  const started = Date.now();
  const holdSeconds = options.holdSeconds ?? 4;
  const holdMs = holdSeconds * 1000;
  const quiescenceMs = options.quiescenceTimeoutMs ?? 90_000;
  const stack = await startLocalStack({
    port: 0,
    estate: chaosEstate(),
    policyYaml: chaosPolicyYaml(0),
    hookSecret: HOOK_SECRET,
    holdSeconds,
    pollMs: 5,
    retryIntervalMs: 50,
    // The poller is the net under dropped hooks: poll often so a history's leavers are caught.
    pollIntervalMs: 500,
    coalesceWindowMs: 300,
    ...(options.log ? { log: options.log } : {}),
  });
  options.onStack?.(stack);
  const faults = new FaultSwitchboard(stack);
  const divergences: string[] = [];
  const joined = new Set<string>();
  const inactiveSince = new Map<string, number>();
  let policy = policyOf(0);
  try {
    for (const [index, step] of scenario.steps.entries()) {
      let outcome = "done";
      if (step.op === "fault") faults.apply(step.fault);
      else if (step.op === "wait") await sleep(step.ms);
      else if (step.op === "policy") {
        policy = policyOf(step.variant);
        await stack.setPolicy(chaosPolicyYaml(step.variant));
      } else {
        outcome = applyOktaStep(stack, step, joined);
        const user = stack.emulators.okta.state.user(step.user);
        const login = step.user;
        if (user === undefined || user.status !== "ACTIVE") {
          if (!inactiveSince.has(login)) inactiveSince.set(login, Date.now());
        } else inactiveSince.delete(login);
      }
      options.onStep?.(index, step, outcome);
    }
    faults.clear();

    // Quiescence 1: deliveries, polls and bus targets done, every user run past its revocation.
    await withTimeout(
      "ingress",
      quiescenceMs,
      (async () => {
        await stack.settle();
        await stack.pollNow();
        await stack.settle();
        await waitForRunRecords(stack);
      })(),
    ).catch((e: Error) => divergences.push(`${e.message}${runningWork(stack)}`));

    const everKnown = [...CHAOS_USERS, ...joined];
    const truth = stack.emulators.okta.state.snapshot();
    const oktaTruth = {
      users: truth.users.map((u) => ({ id: u.id, login: u.profile.login, status: u.status })),
      groups: truth.groups.map((g) => ({ id: g.id, name: g.name, memberIds: g.memberIds })),
    };
    const org = estateOrganization(chaosEstate());
    const oracle = computeOracle(policy, oktaTruth, org, everKnown);
    const lifted = await liftedLogins(stack);
    const heldOrg = stack.emulators.organizations.snapshot();
    const heldLedger = await stack.adapters.ledger.list();
    divergences.push(
      ...checkNoAccess(
        stack.emulators.identityCenter.snapshot(),
        oracle,
        fullyDenied(heldOrg, heldLedger),
      ).map((d) => `while held: ${d}`),
      ...checkDenyInForce({
        ic: stack.emulators.identityCenter.snapshot(),
        org: heldOrg,
        ledger: heldLedger,
        oracle,
        inactiveSince,
        lifted,
        holdMs,
        now: Date.now(),
      }),
    );

    // Quiescence 2: every hold passed and lifted; then the estate reconcile, the third net.
    await withTimeout("workflow runs", quiescenceMs + holdMs, stack.idle()).catch((e: Error) =>
      divergences.push(`${e.message}${runningWork(stack)}`),
    );
    const estate = await stack.runEstateReconcile(`chaos-final-${Date.now()}`);
    if (estate?.status !== "SUCCEEDED")
      divergences.push(`final estate reconcile ${estate?.status}: ${estate?.error}`);
    await withTimeout("final runs", quiescenceMs, stack.idle()).catch((e: Error) =>
      divergences.push(`${e.message}${runningWork(stack)}`),
    );

    const ic = stack.emulators.identityCenter.snapshot();
    const orgSnapshot = stack.emulators.organizations.snapshot();
    const ledger = await stack.adapters.ledger.list();
    const evidence = await readEvidence(stack, started);
    divergences.push(
      ...checkAssignments(ic, oracle),
      ...checkNoAccess(ic, oracle),
      ...checkNoDenyOutlivesHold({
        org: orgSnapshot,
        ledger,
        holdMs,
        estateDenies: evidence.estateDenies,
        now: Date.now(),
      }),
      ...checkEventsAccounted(acceptedUserEvents(stack), evidence.eventIds),
      ...evidence.chainProblems,
    );
    const failed = stack.stepFunctions.executions().filter((e) => e.status === "FAILED");
    return {
      divergences,
      steps: scenario.steps.length,
      events: stack.emulators.okta.systemLog.all().length,
      acceptedEvents: new Set(
        stack.ingress.publishes.filter((p) => p.outcome === "published").map((p) => p.oktaEventId),
      ).size,
      faults: faults.injected,
      slowestTimeToRevokeMs: evidence.slowestTimeToRevokeMs,
      slowestRevocation: evidence.slowestRevocation,
      failedExecutions: failed.length,
      failures: failed.map((e) => `${e.name}: ${e.error}: ${String(e.cause).slice(0, 300)}`),
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    faults.clear();
    await stack.stop();
  }
}

/** What is still running when a quiescence wait gives up, for the divergence's text. */
function runningWork(stack: LocalStack): string {
  const running = stack.stepFunctions.executions().filter((e) => e.status === "RUNNING");
  const pending = stack.emulators.okta.hooks.deliveries.filter((d) => d.outcome === "pending").length;
  const names = running
    .slice(0, 3)
    .map((e) => e.name)
    .join(", ");
  return `: ${running.length} execution(s) running${running.length > 0 ? ` (${names})` : ""}, ${pending} hook delivery(ies) pending`;
}

/** Waits until every user-reconcile run has written its run record or ended. */
async function waitForRunRecords(stack: LocalStack): Promise<void> {
  for (;;) {
    const keys = await stack.adapters.evidence.list("v1/runs/");
    const pending = stack.stepFunctions
      .executions()
      .filter((e) => e.status === "RUNNING" && e.stateMachineArn.endsWith("user-reconcile"))
      .filter((e) => !keys.some((k) => k.includes(e.name) && k.endsWith(".run.json")));
    if (pending.length === 0) return;
    await sleep(50);
  }
}

/** Logins whose Deny a run lifted (a `.lift.json` record). */
async function liftedLogins(stack: LocalStack): Promise<Set<string>> {
  const lifted = new Set<string>();
  for (const key of await stack.adapters.evidence.list("v1/runs/")) {
    if (!key.endsWith(".lift.json")) continue;
    const record = JSON.parse(await stack.adapters.evidence.get(key));
    const login = record?.body?.subject?.login;
    if (typeof login === "string") lifted.add(login);
  }
  return lifted;
}

/** Okta events about a user that the pipeline accepted and dispatch handed to a run. */
function acceptedUserEvents(stack: LocalStack): Set<string> {
  return new Set(stack.ingress.dispatched.filter((d) => !("skipped" in d.result)).map((d) => d.oktaEventId));
}

/** Every evidence record: the event ids their triggers name, verification as auditors run it, slowest revocation. */
async function readEvidence(stack: LocalStack, startedMs: number) {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const period = { from: day(startedMs), to: day(Date.now()) } as Period;
  // As `evidence verify` runs it: today's day still open, the chain head kept in DynamoDB checked.
  const { records, verification } = await loadAndVerifyPeriod(
    stack.adapters.evidence,
    period,
    [stack.endpoints.evidence.signing.publicKeyPem],
    { today: day(Date.now()), chainHead: stack.adapters.evidence },
  );
  const eventIds = new Set<string>();
  let slowest: number | null = null;
  let slowestRevocation: string | null = null;
  const estateDenies = new Set<string>();
  for (const { text } of records) {
    const record = JSON.parse(text);
    const trigger = record?.body?.trigger;
    if (record?.kind === "estate-run") {
      for (const a of record.body.actions ?? []) {
        const scope = a.target?.scope === "all" ? "all" : { permissionSetName: String(a.target?.scope) };
        if (a.kind === "deny.add") estateDenies.add(denyIdentity(String(a.target?.userId), scope));
      }
    }
    if (trigger?.type === "events") for (const e of trigger.events) eventIds.add(e.oktaEventId);
    const t = record?.body?.timings;
    if (record?.kind === "user-run" && t?.oktaPublished && t?.denyInForce) {
      const ms = Date.parse(t.denyInForce) - Date.parse(t.oktaPublished);
      if (ms > (slowest ?? -1)) {
        slowest = ms;
        const channels = (trigger?.events ?? []).map((e: { channel: string }) => e.channel).join("+");
        slowestRevocation = `${record.body.subject.login} via ${channels}`;
      }
    }
  }
  const chainProblems = verification.problems.map((p) => `evidence does not verify: ${p.kind}: ${p.message}`);
  if (verification.records === 0) chainProblems.push("no evidence record was written");
  return { eventIds, chainProblems, slowestTimeToRevokeMs: slowest, slowestRevocation, estateDenies };
}
