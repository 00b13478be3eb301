import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OktaEventHooks } from "../../adapters/okta-event-hooks.ts";
import { doctor } from "../../cli/commands/doctor.ts";
import { type RegisterHookOptions, runRegisterHook } from "../../cli/commands/okta.ts";
import { DEFAULT_DOCTOR_OPTIONS } from "../../cli/doctor/targets.ts";
import { LIFECYCLE_EVENT_TYPES } from "../../core/okta/event-types.ts";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import { createSecretStoresEmulator } from "../../local/emulators/secret-stores.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { type LocalStack, startLocalStack } from "../../local/stack/local-stack.ts";

const STACK_SECRET = randomHookSecret();
const NEW_SECRET = randomHookSecret();

let stack: LocalStack;
let dir: string;
let endpoints: string;
let secretStores: Awaited<ReturnType<typeof startAwsJsonServer>>;

const readers = (env: Record<string, string | undefined> = {}) => ({
  env,
  ssm: () => new SSMClient(localClientConfig(secretStores.endpoint)),
  secretsManager: () => new SecretsManagerClient(localClientConfig(secretStores.endpoint)),
});
const registerOptions = (overrides: Partial<RegisterHookOptions>): RegisterHookOptions => ({
  url: stack.endpoints.hook.url,
  secretFrom: "env:HOOK_SECRET",
  name: "okta-aws-lifecycle",
  oktaTokenEnv: "OKTA_API_TOKEN",
  endpoints,
  ...overrides,
});
const hooks = () => new OktaEventHooks({ orgUrl: stack.url, token: stack.emulators.okta.apiToken });
const doctorOptions = { ...DEFAULT_DOCTOR_OPTIONS, endpoints: "" };

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, hookSecret: STACK_SECRET, pollIntervalMs: 0 });
  dir = await mkdtemp(join(tmpdir(), "oal-setup-"));
  endpoints = join(dir, "endpoints.json");
  doctorOptions.endpoints = endpoints;
  await writeFile(endpoints, JSON.stringify(stack.endpoints));
  secretStores = await startAwsJsonServer(
    createSecretStoresEmulator({
      parameters: { "/okta-aws-lifecycle/hook-secret": NEW_SECRET },
      secrets: { "okta-aws-lifecycle-prod/hook-secret-current": STACK_SECRET },
    }).services,
  );
}, 60_000);

afterAll(async () => {
  await secretStores?.close();
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("okta register-hook against the Okta emulator", () => {
  it("updates the existing hook of the same name, keeps it verified, and subscribes every lifecycle type", async () => {
    // Prepare
    const before = await hooks().list();

    // Act
    const result = await runRegisterHook(registerOptions({}), readers({ HOOK_SECRET: STACK_SECRET }));

    // Assess
    const after = await hooks().list();
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Event hook "okta-aws-lifecycle" updated');
    expect(result.stdout).toContain("ACTIVE, VERIFIED");
    expect(after).toHaveLength(before.length);
    const hook = after.find((h) => h.name === "okta-aws-lifecycle");
    expect(hook).toMatchObject({
      status: "ACTIVE",
      verificationStatus: "VERIFIED",
      uri: stack.endpoints.hook.url,
    });
    expect([...(hook?.events ?? [])].sort()).toEqual([...LIFECYCLE_EVENT_TYPES].sort());
  });

  it("creates a new hook by name, reading the secret from SSM, and a second run updates it (idempotent)", async () => {
    // Act
    const first = await runRegisterHook(
      registerOptions({ name: "oal-e2e-ssm", secretFrom: "ssm:/okta-aws-lifecycle/hook-secret" }),
      readers(),
    );
    const second = await runRegisterHook(
      registerOptions({
        name: "oal-e2e-ssm",
        secretFrom: "secretsmanager:okta-aws-lifecycle-prod/hook-secret-current",
      }),
      readers(),
    );

    // Assess
    expect(first.stdout).toContain('"oal-e2e-ssm" created');
    expect(second.stdout).toContain('"oal-e2e-ssm" updated');
    expect((await hooks().list()).filter((h) => h.name === "oal-e2e-ssm")).toHaveLength(1);
    // Okta delivers with the secret the second run set: the emulator sends it to the hook.
    const registered = stack.emulators.okta.hookRegistry.list().find((h) => h.name === "oal-e2e-ssm");
    expect(registered?.authScheme?.value).toBe(STACK_SECRET);
  });

  it("activates a hook someone deactivated", async () => {
    // Prepare
    const hook = stack.emulators.okta.hookRegistry.list().find((h) => h.name === "oal-e2e-ssm");
    if (hook === undefined) throw new Error("the previous test registers oal-e2e-ssm");
    stack.emulators.okta.hookRegistry.setStatus(hook, "INACTIVE");

    // Act
    const result = await runRegisterHook(
      registerOptions({ name: "oal-e2e-ssm", secretFrom: "ssm:/okta-aws-lifecycle/hook-secret" }),
      readers(),
    );

    // Assess
    expect(result.stdout).toContain("updated and activated");
    expect(hook.status).toBe("ACTIVE");
  });

  it("reports Okta's refusal to verify an endpoint that does not answer the challenge, with a curl to try", async () => {
    // Act
    const result = await runRegisterHook(
      registerOptions({ name: "oal-e2e-broken", url: `${stack.url}/nowhere/okta/events` }),
      readers({ HOOK_SECRET: STACK_SECRET }),
    );

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Okta could not verify the hook");
    expect(result.stderr).toContain("curl -H 'x-okta-verification-challenge: hello'");
    expect((await hooks().findByName("oal-e2e-broken"))?.verificationStatus).toBe("UNVERIFIED");
  });

  it("refuses bad input before calling Okta: a short secret, an unset variable, a plain-http public URL", async () => {
    // Prepare
    const before = (await hooks().list()).length;

    // Act
    const short = await runRegisterHook(registerOptions({ name: "x1" }), readers({ HOOK_SECRET: "short" }));
    const unset = await runRegisterHook(registerOptions({ name: "x2" }), readers({}));
    const http = await runRegisterHook(
      registerOptions({ name: "x3", url: "http://hooks.example.com/okta/events" }),
      readers({ HOOK_SECRET: STACK_SECRET }),
    );
    const wrongForm = await runRegisterHook(registerOptions({ secretFrom: STACK_SECRET }), readers());

    // Assess
    expect(short.stderr).toContain("at least 16");
    expect(unset.stderr).toContain("environment variable HOOK_SECRET is empty or not set");
    expect(http.stderr).toContain("must be https");
    expect(wrongForm.stderr).toContain("expected env:NAME, file:PATH, ssm:NAME or secretsmanager:ID");
    expect([short, unset, http, wrongForm].map((r) => r.exitCode)).toEqual([1, 1, 1, 1]);
    expect((await hooks().list()).length).toBe(before);
  });
});

describe("doctor against the local stack", () => {
  it("finds the poller has not run, reports Object Lock as not supported by the emulator, and exits 1", async () => {
    // Act
    const report = await doctor(doctorOptions, {});

    // Assess
    expect(report.exitCode).toBe(1);
    expect(report.stdout).toMatch(
      /ok\s+Okta event hook\s+"okta-aws-lifecycle" \(.+\) is ACTIVE and VERIFIED/,
    );
    expect(report.stdout).toMatch(/ok\s+IAM Identity Center\s+arn:aws:sso:::instance\//);
    expect(report.stdout).toMatch(/ok\s+Revocation SCPs\s+SCPs enabled on r-/);
    expect(report.stdout).toMatch(/n\/a\s+Evidence bucket lock\s+not supported by the local emulator/);
    expect(report.stdout).toMatch(
      /PROBLEM\s+System Log poller cursor\s+the poller has not stored a cursor yet/,
    );
    expect(report.stdout).toContain("fix: check the okta-log-poll function's logs");
    expect(report.stdout).toContain(
      "1 problem(s) found. 1 check(s) could not run here (n/a): they are not passes.",
    );
  });

  it("passes once the poller has run, still saying the lock check could not run", async () => {
    // Prepare
    await stack.pollNow();

    // Act
    const report = await doctor(doctorOptions, {});

    // Assess
    expect(report.stdout).toMatch(/ok\s+System Log poller cursor\s+advanced \d+ s ago/);
    expect(report.stdout).toMatch(/ok\s+Topology\s+management account \d{12}/);
    expect(report.stdout).toContain("No problems in 5 check(s). 1 check(s) could not run here (n/a)");
    expect(report.exitCode).toBe(0);
  });

  it("says how to fix an inactive hook and a Deny that no SCP holds", async () => {
    // Prepare
    const hook = stack.emulators.okta.hookRegistry.list().find((h) => h.name === "okta-aws-lifecycle");
    if (hook === undefined) throw new Error("the local stack registers its hook");
    stack.emulators.okta.hookRegistry.setStatus(hook, "INACTIVE");
    const now = new Date();
    const denyId = await stack.adapters.ledger.add({
      userId: "0000000000-doctor",
      scope: "all",
      reason: "leaver",
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
    });

    // Act
    const report = await doctor(doctorOptions, {});
    stack.emulators.okta.hookRegistry.setStatus(hook, "ACTIVE");
    await stack.adapters.ledger.remove(denyId);

    // Assess
    expect(report.exitCode).toBe(1);
    expect(report.stdout).toMatch(/PROBLEM\s+Okta event hook\s+hook \S+: it is INACTIVE/);
    expect(report.stdout).toContain("fix: re-run okta-aws-lifecycle okta register-hook --url");
    expect(report.stdout).toMatch(
      /PROBLEM\s+Revocation SCPs\s+1 Deny\(s\) are in force but no revocation SCP/,
    );
  });

  it("explains what it needs when there is no local stack and no deployment", async () => {
    // Act
    const local = await doctor({ ...doctorOptions, endpoints: join(dir, "missing.json") }, {});
    const deployed = await doctor({ ...doctorOptions, oktaOrgUrl: "https://acme.okta.com" }, {});

    // Assess
    expect(local).toMatchObject({ exitCode: 1 });
    expect(local.stderr).toContain("start the local stack (npm start)");
    expect(deployed.stderr).toContain("set OKTA_API_TOKEN");
  });

  it("is wired into the CLI: `doctor` exits 0 on the healthy local stack", async () => {
    // Act
    const result = await promisify(execFile)("node", ["cli/bin.js", "doctor", "--endpoints", endpoints], {
      cwd: process.cwd(),
    }).catch((error: { stdout: string; code: number }) => ({ stdout: error.stdout, code: error.code }));

    // Assess
    expect(result.stdout).toContain("okta-aws-lifecycle doctor: the local stack");
    expect("code" in result ? result.code : 0).toBe(0);
  });
});
