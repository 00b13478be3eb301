/** DeleteOrganizationalUnit on the Organizations emulator, through the real SDK client. */
import {
  AttachPolicyCommand,
  CreateOrganizationalUnitCommand,
  CreatePolicyCommand,
  DeleteOrganizationalUnitCommand,
  ListOrganizationalUnitsForParentCommand,
  ListTargetsForPolicyCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { afterEach, describe, expect, it } from "vitest";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import { createOrganizationsEmulator } from "../../local/emulators/organizations/index.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function start() {
  const org = createOrganizationsEmulator();
  const server = await startAwsJsonServer([org.service]);
  cleanups.push(() => server.close());
  return { org, client: new OrganizationsClient({ ...localClientConfig(server.endpoint), maxAttempts: 1 }) };
}

describe("DeleteOrganizationalUnit", () => {
  it("deletes an empty OU together with its policy attachments", async () => {
    // Prepare
    const { org, client } = await start();
    const ou = (
      await client.send(new CreateOrganizationalUnitCommand({ ParentId: org.rootId, Name: "temp" }))
    ).OrganizationalUnit?.Id as string;
    const policy = await client.send(
      new CreatePolicyCommand({
        Name: "p",
        Description: "",
        Type: "SERVICE_CONTROL_POLICY",
        Content:
          '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetCallerIdentity","Resource":"*"}]}',
      }),
    );
    const policyId = policy.Policy?.PolicySummary?.Id as string;
    await client.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: ou }));

    // Act
    await client.send(new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: ou }));

    // Assess
    const units = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: org.rootId }));
    expect(units.OrganizationalUnits?.map((u) => u.Id)).not.toContain(ou);
    const targets = await client.send(new ListTargetsForPolicyCommand({ PolicyId: policyId }));
    expect(targets.Targets).toEqual([]);
  });

  it("refuses an OU that holds an account (OrganizationalUnitNotEmptyException) and an unknown id", async () => {
    // Prepare
    const { org, client } = await start();
    const ou = (
      await client.send(new CreateOrganizationalUnitCommand({ ParentId: org.rootId, Name: "busy" }))
    ).OrganizationalUnit?.Id as string;
    const account = org.seed.account({ id: "222222222222", name: "a", email: "a@example.com" });
    await client.send(
      new MoveAccountCommand({ AccountId: account, SourceParentId: org.rootId, DestinationParentId: ou }),
    );

    // Act
    const busy = client
      .send(new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: ou }))
      .catch((e) => e);
    const unknown = client
      .send(new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: "ou-abcd-12345678" }))
      .catch((e) => e);

    // Assess
    expect((await busy).name).toBe("OrganizationalUnitNotEmptyException");
    expect((await unknown).name).toBe("OrganizationalUnitNotFoundException");
  });
});
