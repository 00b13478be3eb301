/**
 * PermissionSetContentAdapter against the Identity Center emulator, through the real SDK client: a
 * declared permission set is created and written, judged clean, edited behind the tool's back (as the
 * console or `aws sso-admin put-inline-policy-to-permission-set` would), judged drifted with a diff, and
 * repaired; the pipeline's revocation Denies survive the repair; the boundary reads the same under
 * both answers AWS may give for "none".
 */
import {
  PutInlinePolicyToPermissionSetCommand,
  SSOAdminClient,
  TagResourceCommand,
} from "@aws-sdk/client-sso-admin";
import { afterEach, describe, expect, it } from "vitest";
import { PermissionSetContentAdapter } from "../../adapters/identity-center/permission-set-content.ts";
import { judgePermissionSetDrift } from "../../core/plan/judge-permission-set-drift.ts";
import type { PolicyPermissionSet } from "../../core/policy/schema.ts";
import { denyStatement } from "../../core/revocation/deny-statements.ts";
import type { AwsBehaviourSwitches } from "../../local/emulators/aws-behaviour-switches.ts";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import { createIdentityCenterEmulator } from "../../local/emulators/identity-center/index.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function start(behaviour: Partial<AwsBehaviourSwitches> = {}) {
  const ic = createIdentityCenterEmulator({
    behaviour,
    limits: { latencyMs: 5, ssoAdminTps: 0, identityStoreTps: 0 },
  });
  const server = await startAwsJsonServer(ic.services);
  const ssoAdmin = new SSOAdminClient(localClientConfig(server.endpoint));
  cleanups.push(async () => {
    ssoAdmin.destroy();
    await server.close();
  });
  return {
    ic,
    ssoAdmin,
    content: new PermissionSetContentAdapter({ ssoAdmin, instanceArn: ic.instanceArn, pageSize: 1 }),
  };
}

const DECLARED = {
  sessionDuration: "PT4H",
  description: "Developers' day-to-day access",
  relayState: "https://console.aws.amazon.com/ec2/",
  managedPolicies: ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AWSSupportAccess"],
  customerManagedPolicies: [
    { name: "deploy", path: "/ci/" },
    { name: "team-helpers", path: "/" },
  ],
  inlinePolicy: {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
  },
  permissionsBoundary: { name: "developer-boundary", path: "/" },
  tags: { owner: "platform", tier: "1" },
  privileged: false,
} as PolicyPermissionSet;

/** Creates the declared set and writes its content, as an estate run's create does. */
async function createDeclared(content: PermissionSetContentAdapter): Promise<string> {
  const arn = await content.create({ name: "DeveloperAccess", sessionDuration: "PT1H" });
  const judgement = judgePermissionSetDrift(DECLARED, await content.read(arn));
  expect(judgement.fields).toEqual([
    "description",
    "sessionDuration",
    "relayState",
    "managedPolicies",
    "customerManagedPolicies",
    "inlinePolicy",
    "permissionsBoundary",
    "tags",
  ]);
  await content.apply(arn, judgement.repair);
  return arn;
}

describe("PermissionSetContentAdapter", () => {
  it.each([["not-found"], ["empty"]] as const)(
    "writes a declared set so that it reads back as declared (boundary absent: %s)",
    async (permissionsBoundaryAbsent) => {
      const { content } = await start({ permissionsBoundaryAbsent });
      const arn = await content.create({ name: "Fresh", sessionDuration: "PT1H" });
      expect(await content.read(arn)).toEqual({
        description: null,
        sessionDuration: "PT1H",
        relayState: null,
        managedPolicyArns: [],
        customerManagedPolicies: [],
        inlinePolicy: null,
        permissionsBoundary: null,
        tags: {},
      });

      const declaredArn = await createDeclared(content);
      const observed = await content.read(declaredArn);
      expect(observed.permissionsBoundary).toEqual({
        customerManagedPolicy: { name: "developer-boundary", path: "/" },
      });
      expect(judgePermissionSetDrift(DECLARED, observed).drifted).toBe(false);
    },
  );

  it("sees a console edit as drift with a diff, and the repair restores the set, keeping the pipeline's Denies", async () => {
    const { ic, ssoAdmin, content } = await start();
    const arn = await createDeclared(content);
    const deny = denyStatement({ StringEquals: { "identitystore:userId": ["u-leaver"] } });
    // The pipeline's own Deny is in the inline policy (a leaver in the management account)...
    await content.apply(arn, {
      attachManagedPolicies: [],
      detachManagedPolicies: [],
      attachCustomerManagedPolicies: [],
      detachCustomerManagedPolicies: [],
      inlinePolicy: {
        put: JSON.stringify({
          ...(DECLARED.inlinePolicy as object),
          Statement: [...(DECLARED.inlinePolicy as { Statement: unknown[] }).Statement, deny],
        }),
      },
    });
    expect(judgePermissionSetDrift(DECLARED, await content.read(arn)).drifted).toBe(false);

    // ...then someone widens the set in the console and adds a tag.
    const widened = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }, deny],
    };
    await ssoAdmin.send(
      new PutInlinePolicyToPermissionSetCommand({
        InstanceArn: ic.instanceArn,
        PermissionSetArn: arn,
        InlinePolicy: JSON.stringify(widened),
      }),
    );
    await ssoAdmin.send(
      new TagResourceCommand({
        InstanceArn: ic.instanceArn,
        ResourceArn: arn,
        Tags: [{ Key: "owner", Value: "someone" }],
      }),
    );

    const drift = judgePermissionSetDrift(DECLARED, await content.read(arn));
    expect(drift.fields).toEqual(["inlinePolicy", "tags"]);
    expect(drift.diff).toContain('-        "s3:GetObject"');
    expect(drift.diff).toContain('+        "*"');
    expect(drift.diff).toContain("-owner=platform\n+owner=someone");

    await content.apply(arn, drift.repair);
    const repaired = await content.read(arn);
    expect(judgePermissionSetDrift(DECLARED, repaired).drifted).toBe(false);
    expect(JSON.parse(repaired.inlinePolicy ?? "{}").Statement).toEqual([
      ...(DECLARED.inlinePolicy as { Statement: unknown[] }).Statement,
      deny,
    ]);
    // Every write but tagging needs a re-provision to reach accounts: the set's version moved on.
    expect(ic.snapshot().permissionSets.find((p) => p.arn === arn)?.version).toBeGreaterThan(1);
  });

  it("removes what the policy no longer declares, and deletes a set", async () => {
    const { content } = await start();
    const arn = await createDeclared(content);
    const narrower = {
      ...DECLARED,
      managedPolicies: [],
      customerManagedPolicies: [],
      inlinePolicy: { Statement: [] },
      tags: {},
    } as PolicyPermissionSet;
    const judgement = judgePermissionSetDrift(narrower, await content.read(arn));
    expect(judgement.repair.inlinePolicy).toEqual({ delete: true });
    await content.apply(arn, judgement.repair);
    const after = await content.read(arn);
    expect(after).toMatchObject({
      managedPolicyArns: [],
      customerManagedPolicies: [],
      inlinePolicy: null,
      tags: {},
    });
    await content.delete(arn);
    await expect(content.read(arn)).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });
});
