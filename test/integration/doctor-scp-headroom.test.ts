import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { afterEach, describe, expect, it } from "vitest";
import type { DenyLedger } from "../../adapters/deny-ledger.ts";
import { DEFAULT_REVOCATION_SCP_PREFIX, revocationScpSlot } from "../../adapters/organizations.ts";
import { checkScps } from "../../cli/doctor/scp-check.ts";
import type { DenyEntry } from "../../core/estate.ts";
import { leaverHeadroom } from "../../core/revocation/scp-headroom.ts";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import { createOrganizationsEmulator } from "../../local/emulators/organizations/index.ts";

/*
 * Issue 17: doctor reports the room left in leavers, counting the root's places other SCPs
 * (FullAWSAccess, Control Tower's, other tools') already take.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const NOW = "2026-12-07T00:00:00Z";
const deny: DenyEntry = {
  userId: "906752d7c7-00000001-1111-2222-3333-444455556666",
  scope: "all",
  reason: "leaver",
  createdAt: "2026-12-06T23:00:00Z",
  expiresAt: "2026-12-08T00:00:00Z",
};
const ledger = { list: async () => [{ denyId: "d-1", deny }] } as unknown as DenyLedger;
const guardrail = (sid: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: sid, Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" }],
  });

/** Two slots (the second detached), the first holding the Deny, and `others` customer SCPs on the root. */
async function organization(others: number) {
  const org = createOrganizationsEmulator({ rootId: "r-ab12" });
  const server = await startAwsJsonServer([org.service]);
  const organizations = new OrganizationsClient(localClientConfig(server.endpoint));
  cleanups.push(async () => {
    organizations.destroy();
    await server.close();
  });
  const content = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "OktaAwsLifecycleAllSessions0",
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        Condition: { StringEquals: { "identitystore:userId": [deny.userId] } },
      },
    ],
  });
  org.seed.policy({ ...revocationScpSlot(DEFAULT_REVOCATION_SCP_PREFIX, 0), content, targetIds: ["r-ab12"] });
  org.seed.policy({ ...revocationScpSlot(DEFAULT_REVOCATION_SCP_PREFIX, 1), targetIds: [] });
  for (let i = 0; i < others; i++)
    org.seed.policy({
      name: `control-tower-${i}`,
      description: "",
      content: guardrail(`G${i}`),
      targetIds: ["r-ab12"],
    });
  return organizations;
}

describe("doctor: revocation SCP headroom in leavers", () => {
  it("counts the detached slot when the root has a place for it", async () => {
    // Act
    const result = await checkScps({ organizations: await organization(1), ledger, now: () => NOW });
    // Assess: FullAWSAccess + slot 1 + one guardrail = 3 of 5: slot 2 can be attached
    const expected = leaverHeadroom([deny], { maxChars: 5120, maxPolicies: 2 });
    expect(result.detail).toContain(`headroom: ${expected} more leavers' Denies fit in 2 slot(s)`);
  });

  it("leaves out the slot the root has no place for (other tools' SCPs counted)", async () => {
    // Act
    const result = await checkScps({ organizations: await organization(3), ledger, now: () => NOW });
    // Assess: FullAWSAccess + slot 1 + three guardrails = 5 of 5
    const expected = leaverHeadroom([deny], { maxChars: 5120, maxPolicies: 1 });
    expect(result.detail).toContain(`headroom: ${expected} more leavers' Denies fit in 1 slot(s)`);
    expect(expected).toBe(97);
  });

  it("takes the organization's quotas: 10,240 characters and 10 SCPs make room for the detached slot", async () => {
    // Act
    const result = await checkScps({
      organizations: await organization(3),
      ledger,
      quotas: { maxPolicyChars: 10_240, maxPoliciesPerTarget: 10 },
      now: () => NOW,
    });
    // Assess
    const expected = leaverHeadroom([deny], { maxChars: 10_240, maxPolicies: 2 });
    expect(result.detail).toContain(
      `headroom: ${expected} more leavers' Denies fit in 2 slot(s) of 10240 characters`,
    );
  });
});
