import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probe } from "../../cli/commands/probe.ts";
import type { ProbeCommandOptions } from "../../cli/probe/probe-options.ts";
import type { ProbeReport } from "../../cli/probe/probe-report.ts";
import {
  type AwsBehaviourSwitches,
  DEFAULT_AWS_BEHAVIOUR,
} from "../../local/emulators/aws-behaviour-switches.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { oktaAdmin } from "../support/local-okta.ts";
import { failNextCalls } from "../support/scripted-aws-failures.ts";
import { startTestStack } from "../support/test-stack.ts";

const SECRET = randomHookSecret();
const LEAVER = "jane.doe@example.com";
const PREFIX = /^oal-probe-\d{14}/;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "oal-probe-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the probe as a user does against `npm start`: through the stack's endpoints file. */
async function runProbe(stack: LocalStack, options: Partial<ProbeCommandOptions> = {}) {
  const endpoints = join(dir, `endpoints-${stack.url.split(":").pop()}.json`);
  await writeFile(endpoints, JSON.stringify(stack.endpoints));
  const out = join(dir, `probe-${Date.now()}.json`);
  const result = await probe(
    { endpoints, oktaTokenEnv: "OKTA_API_TOKEN", sample: 5000, out, ...options },
    { wait: { pollMs: 10, timeoutMs: 10_000 } },
  );
  const written =
    result.exitCode === 0 || result.report
      ? (JSON.parse(await readFile(out, "utf8")) as ProbeReport)
      : undefined;
  return { ...result, written };
}

const writesOn = (stack: LocalStack) => ({
  allowWrites: true,
  account: stack.estate.organization.managementAccountId,
});

/** Nothing named oal-probe-... is left in the emulators, but what AWS itself refuses to remove. */
function expectNoProbeResources(stack: LocalStack) {
  const ic = stack.emulators.identityCenter.snapshot();
  expect(ic.users.filter((u) => PREFIX.test(u.userName ?? ""))).toEqual([]);
  expect(ic.groups.filter((g) => PREFIX.test(g.displayName ?? ""))).toEqual([]);
  const org = stack.emulators.organizations.snapshot();
  expect(org.units.filter((u) => PREFIX.test(u.name))).toEqual([]);
  expect(org.policies.filter((p) => PREFIX.test(p.name))).toEqual([]);
}

/** What makes a switch observable on a fresh local stack before the probe runs. */
const PREPARE: Partial<Record<keyof AwsBehaviourSwitches, (stack: LocalStack) => Promise<void>>> = {
  // A leaver run whose membership removal is throttled once: its history holds the error's name.
  identityStoreErrorPrefix: async (stack) => {
    const identityStore = stack.emulators.identityCenter.services.find(
      (s) => s.targetPrefix === "AWSIdentityStore",
    );
    if (!identityStore) throw new Error("the Identity Center emulator serves no identitystore");
    failNextCalls(identityStore, "DeleteGroupMembership", [
      { type: "ThrottlingException", message: "Rate exceeded" },
    ]);
    const user = stack.emulators.okta.state.user(LEAVER);
    await oktaAdmin(stack, "POST", `/api/v1/users/${LEAVER}/lifecycle/deactivate`);
    await stack.settle();
    await stack.waitForEvidence(String(user?.id));
  },
  // Okta deactivates a user; SCIM deletes or disables it in the identity store.
  scimDeactivation: async (stack) => {
    await oktaAdmin(stack, "POST", `/api/v1/users/${LEAVER}/lifecycle/deactivate`);
    await stack.settle();
  },
};

/**
 * Other switches a case needs: a leaver's membership removals only run while SCIM keeps the
 * deactivated user (with `delete`, its memberships go with it).
 */
const ALSO: Partial<Record<keyof AwsBehaviourSwitches, Partial<AwsBehaviourSwitches>>> = {
  identityStoreErrorPrefix: { scimDeactivation: "disable" },
};

/** Switches only a write shows. */
const NEEDS_WRITES = new Set<keyof AwsBehaviourSwitches>(["orphanedAssignmentDeletion"]);

const CASES: [keyof AwsBehaviourSwitches, AwsBehaviourSwitches[keyof AwsBehaviourSwitches]][] = [
  ["listForPrincipalIncludesInherited", false],
  ["listForPrincipalIncludesInherited", true],
  ["orphanedAssignmentDeletion", "fails-404"],
  ["orphanedAssignmentDeletion", "succeeds"],
  ["identityStoreErrorPrefix", "Identitystore"],
  ["identityStoreErrorPrefix", "IdentityStore"],
  ["scimDeactivation", "delete"],
  ["scimDeactivation", "disable"],
  ["scpPolicyTypeEnabled", true],
  ["scpPolicyTypeEnabled", false],
];

describe.each(CASES)("the probe on a local stack started with %s = %s", (name, value) => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startTestStack(SECRET, {
      pollIntervalMs: 0,
      retryIntervalMs: 20,
      awsBehaviour: { ...ALSO[name], [name]: value },
    });
    await PREPARE[name]?.(stack);
  }, 60_000);
  afterAll(() => stack?.stop());

  it("reports the stack's answer, whether the emulator's default matches, and how to run with it", async () => {
    // Act
    const result = await runProbe(stack, NEEDS_WRITES.has(name) ? writesOn(stack) : {});

    // Assess
    expect(result.stderr).not.toContain("probe:");
    const verdict = result.written?.switches.find((s) => s.name === name);
    expect(verdict?.observed).toBe(value);
    const matches = value === DEFAULT_AWS_BEHAVIOUR[name];
    expect(verdict?.verdict).toBe(matches ? "matches" : "differs");
    const flag = `--aws-behaviour ${name}=${String(value)}`;
    if (matches) expect(result.written?.localStack.npmStart).not.toContain(flag);
    else expect(result.written?.localStack.npmStart).toContain(flag);
    expect(result.stdout).toMatch(
      new RegExp(
        `${name}\\s+${String(value)}\\s+${String(DEFAULT_AWS_BEHAVIOUR[name])}\\s+${matches ? "ok" : "DIFFERS"}`,
      ),
    );
    if (NEEDS_WRITES.has(name)) expectNoProbeResources(stack);
  });
});

describe("the probe, read-only and with --allow-writes, on a default local stack", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startTestStack(SECRET, { pollIntervalMs: 0 });
  }, 60_000);
  afterAll(() => stack?.stop());

  it("read-only: writes nothing, says which switches need --allow-writes, and leaves the SCP quotas unverified", async () => {
    // Prepare
    stack.emulators.identityCenter.resetCallCounts();
    stack.emulators.organizations.resetCallCounts();

    // Act
    const result = await runProbe(stack);

    // Assess
    expect(result.exitCode).toBe(0);
    const report = result.written as ProbeReport;
    expect(report.mode).toBe("read-only");
    const orphaned = report.switches.find((s) => s.name === "orphanedAssignmentDeletion");
    expect(orphaned).toMatchObject({ verdict: "unknown" });
    expect(orphaned?.evidence).toContain("needs --allow-writes");
    expect(report.scpQuotas.perTarget).toMatchObject({ value: 5, verified: false });
    expect(report.scpQuotas.characters).toMatchObject({ value: 5120, verified: false });
    expect(report.writes).toBeUndefined();
    const calls = stack.emulators.identityCenter.snapshot().calls;
    const writes = [...Object.keys(calls.ssoAdmin), ...Object.keys(calls.identityStore)].filter((op) =>
      /^(Create|Delete|Put|Attach|Detach|Provision|Update)/.test(op),
    );
    expect(writes).toEqual([]);
    expect(
      Object.keys(stack.emulators.organizations.callCounts()).filter((op) =>
        /^(Create|Delete|Attach|Detach)/.test(op),
      ),
    ).toEqual([]);
    // the instance, the user-name mapping the SCIM model uses, and SCPs enabled
    expect(report.identityCenter.probed?.instanceArn).toBe(stack.emulators.identityCenter.instanceArn);
    expect(report.userNames?.best).toBe(stack.estate.okta.identityCenterApp.userNameFormat);
    expect(report.userNames?.externalIdIssuers.map((e) => e.issuer)).toEqual(["okta"]);
    expect(report.organization).toMatchObject({
      rootId: stack.emulators.organizations.rootId,
      scpsEnabled: true,
    });
    expect(result.stdout).toContain(`Written to ${result.outFile}.`);
  });

  it.each(["as-example", "omitted"] as const)(
    "reads whether Okta's System Log writes nulls (logEventNulls = %s), as the stack answers",
    async (setting) => {
      // Prepare: a session clear writes a System Log event; the Okta emulator answers under the setting.
      const switches = stack.emulators.okta.answerSwitches;
      const before = switches.logEventNulls;
      switches.logEventNulls = setting;
      const cleared = await oktaAdmin(
        stack,
        "DELETE",
        `/api/v1/users/${stack.estate.okta.users[0]?.id}/sessions`,
      );
      expect(cleared.status).toBe(204);

      // Act
      const result = await runProbe(stack).finally(() => {
        switches.logEventNulls = before;
      });

      // Assess
      const nulls = (result.written as ProbeReport).okta.logEventNulls;
      expect(nulls).toMatchObject({
        observed: setting,
        emulatorDefault: "as-example",
        verdict: setting === "as-example" ? "matches" : "differs",
      });
      expect(result.stdout).toContain(`logEventNulls  ${setting}`);
    },
  );

  it("with --allow-writes: settles the SCP quotas by real attempts (published limits) and removes everything it made", async () => {
    // Act
    const result = await runProbe(stack, writesOn(stack));

    // Assess
    const report = result.written as ProbeReport;
    expect(report.scpQuotas.perTarget).toMatchObject({ value: 5, verified: true });
    expect(report.scpQuotas.characters).toMatchObject({ value: 5120, verified: true });
    expect(report.writes?.prefix).toMatch(PREFIX);
    expect(report.writes?.error).toBeUndefined();
    // the orphaned assignment AWS refuses to delete is the only thing left, and it is said so
    expect(report.writes?.leftovers.map((l) => l.description)).toEqual([
      expect.stringMatching(/^assignment of user oal-probe-\d{14} /),
    ]);
    expect(result.exitCode).toBe(0);
    expectNoProbeResources(stack);
    expect(result.stderr).toContain("Cleaning up");
  });

  it("with --allow-writes under the raised quotas: reports 10 per target and 10,240 characters", async () => {
    // Prepare
    const limits = stack.emulators.organizations.limits;
    const before = { ...limits };
    limits.maxPoliciesPerTarget = 10;
    limits.maxPolicyChars = 10_240;

    // Act
    const result = await runProbe(stack, writesOn(stack)).finally(() => Object.assign(limits, before));

    // Assess
    const report = result.written as ProbeReport;
    expect(report.scpQuotas.perTarget).toMatchObject({ value: 10, verified: true });
    expect(report.scpQuotas.characters).toMatchObject({ value: 10_240, verified: true });
    expectNoProbeResources(stack);
  });

  it("with --allow-writes: a failure half-way still removes everything created before it", async () => {
    // Prepare: the first SCP cannot be attached to the temporary OU
    stack.emulators.organizations.faults.failNext.push({
      operation: "AttachPolicy",
      type: "ConcurrentModificationException",
      message:
        "AWS Organizations can't complete your request because it conflicts with another attempt to modify the same entity.",
    });

    // Act
    const result = await runProbe(stack, writesOn(stack));

    // Assess
    const report = result.written as ProbeReport;
    expect(report.writes?.error).toContain("ConcurrentModificationException");
    const removed = report.writes?.removed ?? [];
    for (const kind of ["SCP", "organizational unit", "identity store group", "assignment of group"])
      expect(removed.some((r) => r.startsWith(`${kind} oal-probe-`))).toBe(true);
    expect(report.writes?.leftovers).toHaveLength(1);
    expectNoProbeResources(stack);
  });

  it("refuses --allow-writes without --account, naming the option", async () => {
    // Act
    const result = await runProbe(stack, { allowWrites: true });

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("--allow-writes needs --account");
  });
});
