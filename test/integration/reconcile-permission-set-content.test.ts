/**
 * The permission-set content step of an estate run against the Identity Center emulator: a declared set
 * Identity Center lacks is created; a set provisioned to accounts and then edited outside the tool (the
 * console's `put-inline-policy-to-permission-set`) is a drift finding with a diff, written back under
 * `permissionSetDrift: repair` and re-provisioned with one ALL_PROVISIONED_ACCOUNTS call, after which
 * no account holds an outdated version and the next run finds nothing.
 */
import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { PutInlinePolicyToPermissionSetCommand, SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { afterEach, describe, expect, it } from "vitest";
import { PermissionSetContentAdapter } from "../../adapters/identity-center/permission-set-content.ts";
import { IdentityCenterAdapter } from "../../adapters/identity-center.ts";
import { loadPolicy } from "../../core/policy/load-policy.ts";
import type { Policy } from "../../core/policy/schema.ts";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import { createIdentityCenterEmulator } from "../../local/emulators/identity-center/index.ts";
import {
  type PermissionSetContentPorts,
  reconcilePermissionSetContent,
} from "../../usecases/reconcile-estate/reconcile-permission-set-content.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const INLINE =
  '{ Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "s3:GetObject", Resource: "*" }] }';

function policy(drift: "report" | "repair"): Policy {
  const loaded = loadPolicy(
    [
      "version: 1",
      `permissionSetDrift: ${drift}`,
      "permissionSets:",
      "  DeveloperAccess:",
      "    sessionDuration: PT4H",
      "    managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]",
      `    inlinePolicy: ${INLINE}`,
      "  Auditor: { managedPolicies: [arn:aws:iam::aws:policy/SecurityAudit], tags: { team: audit } }",
      "  Untouched: {}",
      "rules:",
      "  - { name: devs, group: developers, permissionSet: DeveloperAccess, targets: { accounts: ['222222222222'] } }",
    ].join("\n"),
    "policy.yaml",
  );
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.policy;
}

async function start() {
  const ic = createIdentityCenterEmulator({ limits: { latencyMs: 5, ssoAdminTps: 0, identityStoreTps: 0 } });
  const server = await startAwsJsonServer(ic.services);
  const ssoAdmin = new SSOAdminClient(localClientConfig(server.endpoint));
  const identityStore = new IdentitystoreClient(localClientConfig(server.endpoint));
  cleanups.push(async () => {
    ssoAdmin.destroy();
    identityStore.destroy();
    await server.close();
  });
  const adapter = new IdentityCenterAdapter({
    ssoAdmin,
    identityStore,
    instanceArn: ic.instanceArn,
    identityStoreId: ic.identityStoreId,
  });
  const content = new PermissionSetContentAdapter({ ssoAdmin, instanceArn: ic.instanceArn });
  const ports: PermissionSetContentPorts = {
    listPermissionSets: () => adapter.listPermissionSets(),
    read: (arn) => content.read(arn),
    create: (attributes) => content.create(attributes),
    apply: (arn, repair) => content.apply(arn, repair),
    provisionPermissionSetEverywhere: (arn) => adapter.provisionPermissionSetEverywhere(arn),
    provisioningStatus: (id) => adapter.provisioningStatus(id),
  };
  return { ic, ssoAdmin, ports };
}

describe("reconcilePermissionSetContent", () => {
  it("creates declared sets, then finds nothing to do; a console edit is drift with a diff, repaired and re-provisioned", async () => {
    const { ic, ssoAdmin, ports } = await start();
    const untouched = ic.seed.permissionSet({ name: "Untouched", inlinePolicy: '{"Statement":[]}' });

    const first = await reconcilePermissionSetContent(policy("repair"), ports, { pollMs: 5 });
    expect(first.plan.findings).toEqual([]);
    expect(first.outcomes.map((o) => [o.permissionSet, o.step, o.status])).toEqual([
      ["Auditor", "create", "SUCCEEDED"],
      ["DeveloperAccess", "create", "SUCCEEDED"],
    ]);
    const developer =
      first.outcomes.find((o) => o.permissionSet === "DeveloperAccess")?.permissionSetArn ?? "";
    // Every set the tool created carries the ownership tag next to the declared tags; the seeded one does not.
    const auditor = first.outcomes.find((o) => o.permissionSet === "Auditor")?.permissionSetArn ?? "";
    expect((await ports.read(auditor)).tags).toEqual({ team: "audit", "okta-aws-lifecycle:managed": "true" });
    expect((await ports.read(developer)).tags).toEqual({ "okta-aws-lifecycle:managed": "true" });
    expect((await ports.read(untouched)).tags).toEqual({});
    ic.seed.provision("222222222222", developer);
    ic.seed.provision("333333333333", developer);

    // The ownership tag is not the policy's content: the next run has nothing to do.
    const quiet = await reconcilePermissionSetContent(policy("repair"), ports, { pollMs: 5 });
    expect(quiet).toEqual({ plan: { steps: [], findings: [] }, outcomes: [] });

    await ssoAdmin.send(
      new PutInlinePolicyToPermissionSetCommand({
        InstanceArn: ic.instanceArn,
        PermissionSetArn: developer,
        InlinePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
        }),
      }),
    );
    const reported = await reconcilePermissionSetContent(policy("report"), ports, { pollMs: 5 });
    expect(reported.outcomes).toEqual([]);
    expect(reported.plan.findings).toHaveLength(1);
    expect(reported.plan.findings[0]?.subject.diff).toContain('-        "s3:GetObject"\n+        "*"');

    const repaired = await reconcilePermissionSetContent(policy("repair"), ports, {
      only: ["DeveloperAccess"],
      pollMs: 5,
    });
    expect(repaired.outcomes).toEqual([
      expect.objectContaining({
        permissionSet: "DeveloperAccess",
        step: "repair",
        status: "SUCCEEDED",
        permissionSetArn: developer,
      }),
    ]);
    const snapshot = ic.snapshot();
    expect(snapshot.provisioned.filter((p) => p.permissionSetArn === developer)).toEqual([
      { accountId: "222222222222", permissionSetArn: developer, outdated: false },
      { accountId: "333333333333", permissionSetArn: developer, outdated: false },
    ]);
    // One re-provision for both accounts.
    expect(snapshot.calls.ssoAdmin.ProvisionPermissionSet).toBe(1);
    expect(await reconcilePermissionSetContent(policy("repair"), ports, { pollMs: 5 })).toEqual({
      plan: { steps: [], findings: [] },
      outcomes: [],
    });
    // A set without declared content is never written.
    expect(snapshot.permissionSets.find((p) => p.arn === untouched)?.inlinePolicy).toBe('{"Statement":[]}');
  });

  it("a write AWS refuses is a FAILED outcome for that set; the others still run", async () => {
    const { ports } = await start();
    const refusing: PermissionSetContentPorts = {
      ...ports,
      create: async (attributes) => {
        if (attributes.name === "Auditor")
          throw Object.assign(new Error("no"), { name: "AccessDeniedException" });
        return ports.create(attributes);
      },
    };
    const run = await reconcilePermissionSetContent(policy("repair"), refusing, { pollMs: 5 });
    expect(run.outcomes.map((o) => [o.permissionSet, o.status, o.error?.Error])).toEqual([
      ["Auditor", "FAILED", "AccessDeniedException"],
      ["DeveloperAccess", "SUCCEEDED", undefined],
    ]);
    // A write that does not take is FAILED on read-back, with what still differs.
    const ineffective: PermissionSetContentPorts = { ...ports, apply: async () => {} };
    const unchanged = await reconcilePermissionSetContent(policy("repair"), ineffective, { pollMs: 5 });
    expect(unchanged.outcomes).toEqual([
      expect.objectContaining({
        permissionSet: "Auditor",
        status: "FAILED",
        error: {
          Error: "PermissionSetStillDrifted",
          Cause: expect.stringContaining("@@ managedPolicies @@"),
        },
      }),
    ]);
    const dry = await reconcilePermissionSetContent(policy("repair"), ports, { dryRun: true });
    expect(dry.plan.steps.map((step) => [step.kind, step.name])).toEqual([["repair", "Auditor"]]);
    expect(dry.plan.findings.map((f) => f.subject.fields)).toEqual(["managedPolicies"]);
    expect(dry.outcomes).toEqual([]);
  });
});
