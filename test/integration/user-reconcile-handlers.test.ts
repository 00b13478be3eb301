import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { KMSClient } from "@aws-sdk/client-kms";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkStore } from "../../adapters/work-store.ts";
import { readPolicy } from "../../functions/shared/policy-location.ts";
import { ConfigError, readConfig } from "../../functions/shared/read-config.ts";
import { userReconcileConfigSchema } from "../../functions/user-reconcile/config.ts";
import {
  createUserReconcileHandlers,
  type UserReconcileHandlers,
} from "../../functions/user-reconcile/create-task-handlers.ts";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { demoPolicyYaml } from "../../local/estate/demo-estate.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { type LocalStack, startLocalStack, WORK_BUCKET } from "../../local/stack/local-stack.ts";
import { TIME_TO_REVOKE_METRIC } from "../../usecases/reconcile-user/revocation-timing.ts";
import { hydrate, INLINE_LIMIT_BYTES } from "../../usecases/reconcile-user/run-scratch.ts";
import type { UserRunState } from "../../usecases/reconcile-user/run-state.ts";

/**
 * The Lambda entries of the user-reconcile tasks (functions/user-reconcile/handler.ts) built from the
 * deployed environment, with the real adapters and SDK clients, against the local stack.
 */
const USER = "jane.doe@example.com";
let stack: LocalStack;
let dir: string;
let handlers: UserReconcileHandlers;
const metrics: { name: string; value: number }[] = [];
let flushes = 0;
let tokenReads = 0;

/** The task functions' configuration as infra/user-reconcile.ts sets it, for the local stack. */
function configFor(policyLocation: string) {
  return readConfig(userReconcileConfigSchema, {
    OKTA_ORG_URL: stack.endpoints.okta.orgUrl,
    OKTA_API_TOKEN_SECRET_ID: "okta-aws-lifecycle-test/okta-api-token",
    STATE_TABLE: stack.endpoints.dynamodb.tables.state,
    EVIDENCE_BUCKET: stack.endpoints.evidence.bucket,
    WORK_BUCKET,
    INSTANCE_ARN: stack.emulators.identityCenter.instanceArn,
    IDENTITY_STORE_ID: stack.emulators.identityCenter.identityStoreId,
    MANAGEMENT_ACCOUNT_ID: stack.estate.organization.managementAccountId,
    TOPOLOGY: "management",
    HOLD_SECONDS: "43200",
    POLICY_LOCATION: policyLocation,
    REVOCATION_SCP_IDS: stack.endpoints.revocationScpIds.join(","),
  });
}

/** A run whose truth is already read: a user Okta no longer has, so planning calls nothing. */
function goneUserState(runId: string, at: string): UserRunState {
  return {
    runId,
    user: { id: "00u-none", login: null },
    trigger: { event: { published: at }, channel: "hook", receivedAt: "" },
    truth: {
      observedAt: at,
      okta: { found: false, status: null, login: null, groups: [] },
      identityCenter: {
        instanceArn: stack.emulators.identityCenter.instanceArn,
        identityStoreId: stack.emulators.identityCenter.identityStoreId,
        userId: null,
        userName: null,
        memberships: [],
        directAssignments: [],
        groupAssignments: [],
        denies: [],
      },
    },
  } as unknown as UserRunState;
}

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, hookSecret: randomHookSecret(), pollIntervalMs: 0 });
  dir = await mkdtemp(join(tmpdir(), "oal-task-root-"));
  await writeFile(join(dir, "policy.yaml"), demoPolicyYaml());
  const config = configFor("file:policy.yaml");
  const aws = localClientConfig(stack.url);
  handlers = createUserReconcileHandlers({
    config,
    clients: () => ({
      ssoAdmin: new SSOAdminClient(aws),
      identityStore: new IdentitystoreClient(aws),
      organizations: new OrganizationsClient(aws),
      doc: stack.storage.doc,
      s3: stack.storage.s3,
      kms: new KMSClient(aws),
    }),
    oktaToken: async () => {
      tokenReads++;
      return stack.endpoints.okta.apiToken;
    },
    policy: () => readPolicy(config.POLICY_LOCATION, { s3: () => stack.storage.s3, taskRoot: dir }),
    logger: { info: () => undefined } as never,
    metrics: {
      addMetric: (name: string, _unit: unknown, value: number) => metrics.push({ name, value }),
      publishStoredMetrics: () => {
        flushes++;
      },
    } as never,
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function okta(method: string, path: string) {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `SSWS ${stack.endpoints.okta.apiToken}`, accept: "application/json" },
  });
  return (await res.json().catch(() => null)) as { id: string; status: string } | null;
}

describe("user-reconcile Lambda handlers built from the deployed environment", () => {
  it("refuses an incomplete environment, naming every missing variable", () => {
    // Act
    const read = () => readConfig(userReconcileConfigSchema, { OKTA_ORG_URL: "https://acme.okta.com" });

    // Assess
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/STATE_TABLE[\s\S]*EVIDENCE_BUCKET[\s\S]*POLICY_LOCATION/);
  });

  it("reads a leaver's truth, plans the revocation, and records its time-to-revoke with the evidence", async () => {
    // Prepare: the leaver is deactivated in Okta; the run starts from the event that said so.
    const user = await okta("GET", `/api/v1/users/${encodeURIComponent(USER)}`);
    if (!user?.id) throw new Error(`the demo estate has ${USER}`);
    const published = new Date(Date.now() - 2_000).toISOString();
    await okta("POST", `/api/v1/users/${user.id}/lifecycle/deactivate`);
    let state = {
      runId: "user-handlers-test-leaver",
      user: { id: user.id, login: USER },
      trigger: {
        event: {
          kind: "leaver",
          subject: "user",
          eventType: "user.lifecycle.deactivate",
          oktaEventId: "handlers-test-event",
          published,
          actor: null,
          outcome: "SUCCESS",
          user: { id: user.id, login: USER },
        },
        channel: "hook",
        receivedAt: published,
      },
    } as unknown as UserRunState;

    // Act
    state = { ...state, truth: (await handlers.readUserTruth(state)) as UserRunState["truth"] };
    state = { ...state, plan: (await handlers.planUserRun(state)) as UserRunState["plan"] };
    const deny = { inForceAt: new Date().toISOString(), scpPolicyIds: [], overflow: 0, reprovisions: [] };
    const stored = (await handlers.writeUserEvidence({ ...state, deny })) as { key: string };

    // Assess: the state carries the plan's verdict; the truth is in the run's scratch exactly when it is
    // larger than the state keeps inline (run-scratch.ts), and every later task gets it back whole
    expect(state.plan?.decision).toBe("revoke");
    expect(state.plan?.holdSeconds).toBe(43_200);
    const full = await hydrate(new WorkStore({ s3: stack.storage.s3, bucket: WORK_BUCKET }), state);
    const large = Buffer.byteLength(JSON.stringify(full.truth), "utf8") > INLINE_LIMIT_BYTES;
    expect(state.truth).toEqual(
      large ? { scratchKey: "work/user/user-handlers-test-leaver/truth.json" } : full.truth,
    );
    expect(full.truth?.okta.status).toBe("DEPROVISIONED");
    expect(full.truth?.identityCenter.userId).toBeTruthy();
    expect(stored.key).toMatch(/^v1\/runs\/.*user-handlers-test-leaver\.run\.json$/);
    const timing = metrics.find((m) => m.name === TIME_TO_REVOKE_METRIC);
    expect(timing?.value).toBeGreaterThanOrEqual(2);
    expect(timing?.value).toBeLessThan(60);
    expect(flushes).toBeGreaterThan(0);
    expect(tokenReads).toBeGreaterThan(0);
  });

  it("does not read the Okta token for a task that never calls Okta", async () => {
    // Prepare
    const before = tokenReads;
    const state = goneUserState("user-handlers-test-plan-only", new Date().toISOString());

    // Act
    const plan = (await handlers.planUserRun(state)) as { decision?: string };

    // Assess
    expect(tokenReads).toBe(before);
    expect(plan.decision).toBe("none");
  });
  it("re-reads an S3 policy once a warm function's copy is a minute old (a bundled one never)", async () => {
    // Prepare: the same environment with the policy in S3, a clock we move, and a counted policy read
    let clock = Date.parse("2026-11-24T00:00:00Z");
    let policyReads = 0;
    const make = (location: string) =>
      createUserReconcileHandlers({
        config: configFor(location),
        clients: () => ({ doc: stack.storage.doc, s3: stack.storage.s3 }) as never,
        oktaToken: async () => stack.endpoints.okta.apiToken,
        policy: async () => {
          policyReads++;
          return readPolicy("file:policy.yaml", { s3: () => stack.storage.s3, taskRoot: dir });
        },
        logger: { info: () => undefined } as never,
        metrics: { addMetric: () => undefined, publishStoredMetrics: () => undefined } as never,
        now: () => new Date(clock).toISOString(),
      });
    const state = goneUserState("user-handlers-test-policy-age", new Date(clock).toISOString());
    const fromS3 = make("s3://policies/policy.yaml");
    const bundled = make("file:policy.yaml");

    // Act + Assess
    await fromS3.planUserRun(state);
    await fromS3.planUserRun(state);
    expect(policyReads).toBe(1);
    clock += 61_000;
    await fromS3.planUserRun(state);
    expect(policyReads).toBe(2);
    await bundled.planUserRun(state);
    clock += 3_600_000;
    await bundled.planUserRun(state);
    expect(policyReads).toBe(3);
  });
});
