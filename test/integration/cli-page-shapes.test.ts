/**
 * The CLI's own AWS reads (doctor's Identity Center and SCP checks, the probe's inherited-assignments
 * observation) follow NextToken through short and empty pages (local/emulators/page-shape.ts): under
 * every page shape they find the instance, its permission sets, the root and a group's member.
 */
import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_REVOCATION_SCP_PREFIX, revocationScpSlot } from "../../adapters/organizations.ts";
import { checkIdentityCenter } from "../../cli/doctor/identity-center-check.ts";
import { checkScps } from "../../cli/doctor/scp-check.ts";
import { observeInheritedReadOnly } from "../../cli/probe/inherited-assignments.ts";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import { createIdentityCenterEmulator } from "../../local/emulators/identity-center/index.ts";
import { createOrganizationsEmulator } from "../../local/emulators/organizations/index.ts";
import { PAGE_SHAPES } from "../../local/emulators/page-shape.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe.each(PAGE_SHAPES)("the CLI's AWS reads under %s pages", (pageShape) => {
  async function start() {
    const ic = createIdentityCenterEmulator({ limits: { pageShape, ssoAdminTps: 0, identityStoreTps: 0 } });
    const org = createOrganizationsEmulator({ rootId: "r-ab12", limits: { pageShape } });
    const server = await startAwsJsonServer([...ic.services, org.service]);
    const clients = {
      ssoAdmin: new SSOAdminClient(localClientConfig(server.endpoint)),
      identityStore: new IdentitystoreClient(localClientConfig(server.endpoint)),
      organizations: new OrganizationsClient(localClientConfig(server.endpoint)),
    };
    cleanups.push(async () => {
      for (const client of Object.values(clients)) client.destroy();
      await server.close();
    });
    return { ic, org, ...clients, instanceArn: ic.instanceArn, identityStoreId: ic.identityStoreId };
  }

  it("doctor finds the instance and says it has a permission set", async () => {
    // Prepare
    const target = await start();
    target.ic.seed.permissionSet({ name: "ReadOnly" });
    // Act
    const result = await checkIdentityCenter(target);
    // Assess
    expect(result).toEqual({
      check: "IAM Identity Center",
      status: "ok",
      detail: `${target.instanceArn} (identity store ${target.identityStoreId}) is reachable`,
    });
  });

  it("doctor finds the root, its SCPs and the revocation slot", async () => {
    // Prepare
    const target = await start();
    target.org.seed.policy({ ...revocationScpSlot(DEFAULT_REVOCATION_SCP_PREFIX, 0), targetIds: ["r-ab12"] });
    // Act
    const result = await checkScps({
      organizations: target.organizations,
      now: () => "2026-12-07T00:00:00Z",
    });
    // Assess
    expect(result).toMatchObject({ status: "ok" });
    expect(result.detail).toMatch(/^SCPs enabled on r-ab12; 2 SCP\(s\) listed;/);
  });

  it("the probe finds a group's member and judges the member's listing", async () => {
    // Prepare: a group with an assignment and one member
    const { ic, ...c } = await start();
    const permissionSetArn = ic.seed.permissionSet({ name: "ReadOnly" });
    const userId = ic.seed.user({ userName: "jane@example.com" });
    const groupId = ic.seed.group({ displayName: "readers" });
    ic.seed.membership(groupId, userId);
    ic.seed.assignment({
      accountId: "222222222222",
      permissionSetArn,
      principalType: "GROUP",
      principalId: groupId,
    });
    // Act
    const observation = await observeInheritedReadOnly(c, 10);
    // Assess
    expect(observation).toMatchObject({ name: "listForPrincipalIncludesInherited", observed: false });
    expect(observation.evidence).toBe(
      `asked about user ${userId} (a member of group ${groupId}, which holds 1 assignment(s)), it returned 0 item(s), all the user's own`,
    );
  });
});
