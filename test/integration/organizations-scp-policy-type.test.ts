/**
 * SCPs enabled or disabled on the root, over the wire with the real SDK client, every answer checked
 * against the Organizations model: ListRoots lists only enabled types, AttachPolicy answers
 * PolicyTypeNotEnabledException while disabled, DisablePolicyType detaches every SCP (kept, not deleted),
 * re-enabling attaches only FullAWSAccess, and the adapter's revocation write surfaces the refusal.
 */
import * as organizations from "@aws-sdk/client-organizations";
import { afterEach, describe, expect, it } from "vitest";
import {
  DEFAULT_REVOCATION_SCP_PREFIX,
  OrganizationsAdapter,
  revocationScpSlot,
} from "../../adapters/organizations.ts";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import {
  createOrganizationsEmulator,
  type OrganizationsEmulatorOptions,
} from "../../local/emulators/organizations/index.ts";
import { AwsAnswerLog } from "../support/aws-answer-log.ts";
import { AwsModel } from "../support/aws-model.ts";

const model = new AwsModel("organizations");
const ROOT = "r-ab12";
const SCP = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Deny", Action: "s3:*", Resource: "*" }],
});
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function start(options: OrganizationsEmulatorOptions = {}) {
  const org = createOrganizationsEmulator({ rootId: ROOT, ...options });
  const server = await startAwsJsonServer([org.service]);
  const log = new AwsAnswerLog();
  const client = log.attach(
    new organizations.OrganizationsClient({ ...localClientConfig(server.endpoint), maxAttempts: 1 }),
    model,
  );
  cleanups.push(async () => {
    client.destroy();
    await server.close();
  });
  /** The error name a call answered, or "ok". */
  const outcome = async (command: unknown) => {
    try {
      await client.send(command as never);
      return "ok";
    } catch (error) {
      return (error as Error).name;
    }
  };
  const policiesOn = async (targetId: string) =>
    (
      await client.send(
        new organizations.ListPoliciesForTargetCommand({
          TargetId: targetId,
          Filter: "SERVICE_CONTROL_POLICY",
        }),
      )
    ).Policies?.map((p) => p.Name);
  const rootTypes = async () =>
    (await client.send(new organizations.ListRootsCommand({}))).Roots?.[0]?.PolicyTypes;
  return { org, client, log, outcome, policiesOn, rootTypes };
}

describe("Organizations emulator: the SCP policy type", () => {
  it("starts disabled under scpPolicyTypeEnabled=false: nothing attaches until EnablePolicyType", async () => {
    // Prepare
    const { org, client, log, outcome, policiesOn, rootTypes } = await start({
      behaviour: { scpPolicyTypeEnabled: false },
    });
    const policyId = org.seed.policy({ name: "deny-s3", content: SCP });

    // Act
    const typesBefore = await rootTypes();
    const organization = await client.send(new organizations.DescribeOrganizationCommand({}));
    const attachDisabled = await outcome(
      new organizations.AttachPolicyCommand({ PolicyId: policyId, TargetId: ROOT }),
    );
    const disableDisabled = await outcome(
      new organizations.DisablePolicyTypeCommand({ RootId: ROOT, PolicyType: "SERVICE_CONTROL_POLICY" }),
    );
    const enabled = await client.send(
      new organizations.EnablePolicyTypeCommand({ RootId: ROOT, PolicyType: "SERVICE_CONTROL_POLICY" }),
    );
    const enableAgain = await outcome(
      new organizations.EnablePolicyTypeCommand({ RootId: ROOT, PolicyType: "SERVICE_CONTROL_POLICY" }),
    );
    const otherRoot = await outcome(
      new organizations.EnablePolicyTypeCommand({ RootId: "r-zz99", PolicyType: "SERVICE_CONTROL_POLICY" }),
    );
    const attachEnabled = await outcome(
      new organizations.AttachPolicyCommand({ PolicyId: policyId, TargetId: ROOT }),
    );

    // Assess
    expect(typesBefore).toEqual([]);
    expect(organization.Organization?.AvailablePolicyTypes).toEqual([]);
    expect(attachDisabled).toBe("PolicyTypeNotEnabledException");
    expect(disableDisabled).toBe("PolicyTypeNotEnabledException");
    expect(enabled.Root).toMatchObject({
      Id: ROOT,
      PolicyTypes: [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }],
    });
    expect(enableAgain).toBe("PolicyTypeAlreadyEnabledException");
    expect(otherRoot).toBe("RootNotFoundException");
    expect(attachEnabled).toBe("ok");
    expect(await rootTypes()).toEqual([{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }]);
    expect((await policiesOn(ROOT))?.sort()).toEqual(["FullAWSAccess", "deny-s3"]);
    expect(org.behaviour.scpPolicyTypeEnabled).toBe(true);
    expect(log.answers.flatMap((a) => a.problems)).toEqual([]);
    expect(
      log.answers.filter((a) => a.errorCode === "PolicyTypeNotEnabledException").map((a) => a.status),
    ).toEqual([409, 409]);
  });

  it("DisablePolicyType detaches every SCP without deleting it; re-enabling attaches FullAWSAccess only", async () => {
    // Prepare: an SCP on the root and on an OU
    const { org, client, log, policiesOn, rootTypes } = await start();
    const unitId = org.seed.organizationalUnit({ name: "Workloads" });
    const policyId = org.seed.policy({ name: "deny-s3", content: SCP, targetIds: [ROOT, unitId] });
    expect((await policiesOn(unitId))?.sort()).toEqual(["FullAWSAccess", "deny-s3"]);

    // Act
    const disabled = await client.send(
      new organizations.DisablePolicyTypeCommand({ RootId: ROOT, PolicyType: "SERVICE_CONTROL_POLICY" }),
    );
    const whileDisabled = { root: await policiesOn(ROOT), unit: await policiesOn(unitId) };
    const kept = await client.send(new organizations.DescribePolicyCommand({ PolicyId: policyId }));
    await client.send(
      new organizations.EnablePolicyTypeCommand({ RootId: ROOT, PolicyType: "SERVICE_CONTROL_POLICY" }),
    );

    // Assess
    expect(disabled.Root?.PolicyTypes).toEqual([]);
    expect(whileDisabled).toEqual({ root: [], unit: [] });
    expect(kept.Policy?.Content).toBe(SCP);
    expect(await rootTypes()).toEqual([{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }]);
    expect(await policiesOn(ROOT)).toEqual(["FullAWSAccess"]);
    expect(await policiesOn(unitId)).toEqual(["FullAWSAccess"]);
    expect(log.answers.flatMap((a) => a.problems)).toEqual([]);
  });

  it("a switch flipped at runtime takes effect at the next call, and the revocation write is refused", async () => {
    // Prepare: the revocation slots attached, as a deployment leaves them
    const { org, client, policiesOn } = await start();
    const slot = org.seed.policy({
      ...revocationScpSlot(DEFAULT_REVOCATION_SCP_PREFIX, 1),
      targetIds: [ROOT],
    });
    const adapter = new OrganizationsAdapter({ client });

    // Act: someone disables SCPs after the deploy
    org.behaviour.scpPolicyTypeEnabled = false;
    const write = adapter.revocationScpPort({ targetId: ROOT, slots: [slot] }).writeRevocationScps([
      {
        userId: "906752d7c7-00000001-1111-2222-3333-444455556666",
        scope: "all",
        reason: "leaver",
        createdAt: "2026-06-01T12:00:00.000Z",
        expiresAt: "2026-06-02T00:00:00.000Z",
      },
    ]);

    // Assess
    await expect(write).rejects.toMatchObject({ name: "PolicyTypeNotEnabledException" });
    expect(await policiesOn(ROOT)).toEqual([]);
  });
});
