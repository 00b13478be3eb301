import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { afterEach, describe, expect, it } from "vitest";
import type { DenyLedger } from "../../adapters/deny-ledger.ts";
import { revocationScpSlot } from "../../adapters/organizations.ts";
import { checkScps } from "../../cli/doctor/scp-check.ts";
import { RevocationScpIdsError, revocationScpSlotSource } from "../../cli/revocation-scp-slot-source.ts";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import { createOrganizationsEmulator } from "../../local/emulators/organizations/index.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const NOW = "2026-12-07T00:00:00Z";
/** One Deny in force, as the ledger lists it. */
const ledger = {
  list: async () => [
    { denyId: "d-1", deny: { userId: "u-1", scope: "all", expiresAt: "2026-12-08T00:00:00Z" } },
  ],
} as unknown as DenyLedger;

/** An organization with a deployed stage's slot (named `<app>-<stage>-revocation-1`) holding a Deny. */
async function deployedOrganization() {
  const org = createOrganizationsEmulator({ rootId: "r-ab12" });
  const server = await startAwsJsonServer([org.service]);
  const organizations = new OrganizationsClient(localClientConfig(server.endpoint));
  cleanups.push(async () => {
    organizations.destroy();
    await server.close();
  });
  const slotId = org.seed.policy({
    ...revocationScpSlot("okta-aws-lifecycle-prod-revocation", 0),
    content: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Revoked",
          Effect: "Deny",
          Action: "*",
          Resource: "*",
          Condition: { StringEquals: { "identitystore:UserId": ["u-1"] } },
        },
      ],
    }),
    targetIds: ["r-ab12"],
  });
  return { organizations, slotId };
}

describe("the CLI finds the revocation SCP slots from the deploy, by name only as a fallback (issue 15)", () => {
  it("doctor checks the deploy's slots by id: the Deny in force is held", async () => {
    // Prepare
    const { organizations, slotId } = await deployedOrganization();

    // Act
    const result = await checkScps({
      organizations,
      ledger,
      slots: revocationScpSlotSource([
        { value: undefined, from: "--revocation-scp-ids" },
        { value: slotId, from: "revocationScpIds in .sst/outputs.json" },
      ]),
      now: () => NOW,
    });

    // Assess
    expect(result).toMatchObject({ status: "ok" });
    expect(result.detail).toContain("1 revocation SCP(s) attached for 1 Deny(s) in force");
    expect(result.detail).toContain(`slots ${slotId} from revocationScpIds in .sst/outputs.json`);
  });

  it("without the ids, falls back to names and says so (the stage-named slot is not found by the default prefix)", async () => {
    // Prepare
    const { organizations } = await deployedOrganization();

    // Act
    const result = await checkScps({ organizations, ledger, now: () => NOW });

    // Assess
    expect(result).toMatchObject({ status: "problem" });
    expect(result.detail).toContain("no revocation SCP slot named okta-aws-lifecycle-revocation-<n>");
    expect(revocationScpSlotSource([])).toMatchObject({
      kind: "by-name",
      note: expect.stringContaining("not from the deploy: pass --revocation-scp-ids"),
    });
  });

  it("takes the first source given, and refuses what is not a policy id, naming where it came from", () => {
    // Act
    const fromFlag = revocationScpSlotSource([
      { value: " p-abcdefgh12 , p-ijklmnop34 ", from: "--revocation-scp-ids" },
      { value: "p-zzzzzzzz99", from: "revocationScpIds in .sst/outputs.json" },
    ]);
    const wrong = () =>
      revocationScpSlotSource([
        { value: "okta-aws-lifecycle-prod-revocation-1", from: "--revocation-scp-ids" },
      ]);
    const empty = () =>
      revocationScpSlotSource([{ value: [], from: "revocationScpIds in .local/endpoints.json" }]);

    // Assess
    expect(fromFlag).toEqual({
      kind: "deployed",
      slots: ["p-abcdefgh12", "p-ijklmnop34"],
      from: "--revocation-scp-ids",
    });
    expect(wrong).toThrow(RevocationScpIdsError);
    expect(wrong).toThrow(/^--revocation-scp-ids: "okta-aws-lifecycle-prod-revocation-1" is not a policy id/);
    expect(empty).toThrow(/revocationScpIds in \.local\/endpoints\.json: no slot ids/);
  });
});
