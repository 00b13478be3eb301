/**
 * OrganizationsAdapter against the Organizations emulator with the real `@aws-sdk/client-organizations`:
 * reading a nested organization, and keeping the revocation SCPs equal to the Denies (sharding, the
 * 5-per-target limit, shrinking, idempotence, customer SCPs untouched, throttling).
 */
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { afterEach, describe, expect, it } from "vitest";
import {
  isRetryableOrganizationsError,
  OrganizationsAdapter,
  REVOCATION_SCP_MARKER,
} from "../../adapters/organizations.ts";
import type { DenyEntry } from "../../core/estate.ts";
import { policyAtoms, statementAtoms } from "../../core/revocation/deny-atoms.ts";
import { scpLength } from "../../core/revocation/deny-statement.ts";
import { denyStatements } from "../../core/revocation/deny-statements.ts";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import {
  createOrganizationsEmulator,
  FULL_AWS_ACCESS_ID,
  type OrganizationsEmulatorOptions,
} from "../../local/emulators/organizations/index.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function start(options: OrganizationsEmulatorOptions = {}, maxAttempts = 1) {
  const org = createOrganizationsEmulator({ rootId: "r-ab12", ...options });
  const server = await startAwsJsonServer([org.service]);
  const client = new OrganizationsClient({ ...localClientConfig(server.endpoint), maxAttempts });
  cleanups.push(async () => {
    client.destroy();
    await server.close();
  });
  return { org, adapter: new OrganizationsAdapter({ client }) };
}

/** Identity Store user ids have this shape: 10 hex, "-", then a UUID (47 characters). */
const icUserId = (n: number) => `906752d7c7-${n.toString(16).padStart(8, "0")}-1111-2222-3333-444455556666`;
const leaver = (userId: string): DenyEntry => ({
  userId,
  scope: "all",
  reason: "leaver",
  createdAt: "2026-06-01T12:00:00.000Z",
  expiresAt: "2026-06-02T00:00:00.000Z",
});
const leavers = (n: number) => Array.from({ length: n }, (_, i) => leaver(icUserId(i)));
const denyS3 = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Deny", Action: "s3:*", Resource: "*" }],
});

/** The tool's policies in the emulator, by name. */
const toolPolicies = (org: ReturnType<typeof createOrganizationsEmulator>) =>
  org
    .snapshot()
    .policies.filter((p) => p.description === REVOCATION_SCP_MARKER)
    .sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
const deniedUsers = (contents: string[]) =>
  new Set(
    contents.flatMap((c) =>
      (JSON.parse(c).Statement as { Condition: { StringEquals: Record<string, string[]> } }[]).flatMap(
        (s) => s.Condition.StringEquals["identitystore:userId"] ?? [],
      ),
    ),
  );
const union = (sets: Set<string>[]) => new Set(sets.flatMap((set) => [...set]));
const writes = (calls: Record<string, number>) =>
  ["CreatePolicy", "UpdatePolicy", "AttachPolicy", "DetachPolicy", "DeletePolicy"].reduce(
    (n, op) => n + (calls[op] ?? 0),
    0,
  );

describe("OrganizationsAdapter.readOrganization", () => {
  it("reads a nested OU tree with accounts, tags and statuses, following every page", async () => {
    // Prepare: pages of 2 so that every list takes several calls
    const { org, adapter } = await start({ limits: { pageSize: 2 } });
    const workloads = org.seed.organizationalUnit({ id: "ou-ab12-workload", name: "Workloads" });
    const prod = org.seed.organizationalUnit({ id: "ou-ab12-prod0001", name: "Prod", parentId: workloads });
    const dev = org.seed.organizationalUnit({ id: "ou-ab12-dev00001", name: "Dev", parentId: workloads });
    const sandbox = org.seed.organizationalUnit({ id: "ou-ab12-sandbox1", name: "Sandbox", parentId: dev });
    org.seed.account({
      id: "222222222222",
      name: "prod-a",
      parentId: prod,
      tags: { env: "prod", team: "pay" },
    });
    org.seed.account({ id: "333333333333", name: "prod-b", parentId: prod, tags: { env: "prod" } });
    org.seed.account({ id: "444444444444", name: "prod-c", parentId: prod });
    org.seed.account({ id: "555555555555", name: "dev-a", parentId: dev, tags: { env: "dev" } });
    org.seed.account({ id: "666666666666", name: "sbx", parentId: sandbox, status: "SUSPENDED" });
    org.seed.account({ id: "777777777777", name: "closing", parentId: workloads, status: "PENDING_CLOSURE" });
    // Act
    const organization = await adapter.readOrganization();
    // Assess
    expect(organization.rootId).toBe("r-ab12");
    expect(organization.units).toEqual([
      { id: "r-ab12", name: "Root", parentId: null },
      { id: workloads, name: "Workloads", parentId: "r-ab12" },
      { id: prod, name: "Prod", parentId: workloads },
      { id: dev, name: "Dev", parentId: workloads },
      { id: sandbox, name: "Sandbox", parentId: dev },
    ]);
    expect(organization.accounts).toEqual([
      { id: "111111111111", name: "management", parentId: "r-ab12", tags: {}, status: "ACTIVE" },
      {
        id: "222222222222",
        name: "prod-a",
        parentId: prod,
        tags: { env: "prod", team: "pay" },
        status: "ACTIVE",
      },
      { id: "333333333333", name: "prod-b", parentId: prod, tags: { env: "prod" }, status: "ACTIVE" },
      { id: "444444444444", name: "prod-c", parentId: prod, tags: {}, status: "ACTIVE" },
      { id: "555555555555", name: "dev-a", parentId: dev, tags: { env: "dev" }, status: "ACTIVE" },
      { id: "666666666666", name: "sbx", parentId: sandbox, tags: {}, status: "SUSPENDED" },
      { id: "777777777777", name: "closing", parentId: workloads, tags: {}, status: "PENDING_CLOSURE" },
    ]);
  });

  it("makes 1 + 2 x (OUs + 1) + accounts calls when every list fits one page", async () => {
    // Prepare
    const { org, adapter } = await start();
    const ou = org.seed.organizationalUnit({ name: "Prod" });
    for (let i = 0; i < 5; i++) org.seed.account({ name: `a${i}`, parentId: ou });
    // Act
    await adapter.readOrganization();
    // Assess
    expect(org.callCounts()).toEqual({
      ListRoots: 1,
      ListOrganizationalUnitsForParent: 2,
      ListAccountsForParent: 2,
      ListTagsForResource: 6,
    });
  });
});

describe("OrganizationsAdapter.writeRevocationScps", () => {
  it("creates one SCP for one leaver, attached to the root, marked and tagged as the tool's", async () => {
    // Prepare
    const { org, adapter } = await start();
    // Act
    const result = await adapter.writeRevocationScps([leaver(icUserId(1))]);
    // Assess
    const [policy, ...others] = toolPolicies(org);
    expect(others).toEqual([]);
    expect(policy).toMatchObject({
      name: "okta-aws-lifecycle-revocation-1",
      targetIds: ["r-ab12"],
      tags: { "managed-by": "okta-aws-lifecycle" },
    });
    expect(result).toEqual({ policyIds: [policy?.id], overflow: [] });
    expect(deniedUsers([policy?.content as string])).toEqual(new Set([icUserId(1)]));
  });

  it("grows to 500 leavers: shards into the 4 free slots, each SCP within 5,120 characters, the rest overflows", async () => {
    // Prepare
    const { org, adapter } = await start();
    await adapter.writeRevocationScps([leaver(icUserId(0))]);
    // Act
    const result = await adapter.writeRevocationScps(leavers(500));
    // Assess
    const policies = toolPolicies(org);
    expect(policies.map((p) => p.name)).toEqual(
      [1, 2, 3, 4].map((n) => `okta-aws-lifecycle-revocation-${n}`),
    );
    for (const p of policies) {
      expect(scpLength(p.content)).toBeLessThanOrEqual(5120);
      expect(p.targetIds).toEqual(["r-ab12"]);
    }
    expect(org.state.policiesOn("r-ab12")).toHaveLength(5);
    const placed = deniedUsers(policies.map((p) => p.content));
    const overflowed = new Set(
      result.overflow.flatMap((s) => s.Condition.StringEquals["identitystore:userId"]),
    );
    expect(placed.size + overflowed.size).toBe(500);
    expect(new Set([...placed, ...overflowed])).toEqual(new Set(leavers(500).map((d) => d.userId)));
    expect(result.policyIds).toEqual(policies.map((p) => p.id));
  });

  it("fits 300 leavers in the free slots without overflow", async () => {
    // Prepare
    const { org, adapter } = await start();
    // Act
    const result = await adapter.writeRevocationScps(leavers(300));
    // Assess
    expect(result.overflow).toEqual([]);
    expect(toolPolicies(org).length).toBeGreaterThan(1);
    expect(deniedUsers(toolPolicies(org).map((p) => p.content)).size).toBe(300);
  });

  it("shrinks back to 1 leaver: the extra SCPs are detached and deleted", async () => {
    // Prepare
    const { org, adapter } = await start();
    await adapter.writeRevocationScps(leavers(300));
    // Act
    const result = await adapter.writeRevocationScps([leaver(icUserId(7))]);
    // Assess
    const policies = toolPolicies(org);
    expect(policies.map((p) => p.name)).toEqual(["okta-aws-lifecycle-revocation-1"]);
    expect(deniedUsers(policies.map((p) => p.content))).toEqual(new Set([icUserId(7)]));
    expect(org.state.policiesOn("r-ab12")).toEqual([FULL_AWS_ACCESS_ID, policies[0]?.id]);
    expect(result.policyIds).toEqual([policies[0]?.id]);
    expect(org.callCounts().DeletePolicy).toBeGreaterThan(0);
  });

  it("removes every tool SCP when no Deny is left", async () => {
    // Prepare
    const { org, adapter } = await start();
    await adapter.writeRevocationScps(leavers(10));
    // Act
    const result = await adapter.writeRevocationScps([]);
    // Assess
    expect(toolPolicies(org)).toEqual([]);
    expect(result).toEqual({ policyIds: [], overflow: [] });
  });

  it("makes no write when called again with the same Denies (content compared)", async () => {
    // Prepare
    const { org, adapter } = await start();
    await adapter.writeRevocationScps(leavers(300));
    org.resetCallCounts();
    // Act
    const again = await adapter.writeRevocationScps([...leavers(300)].reverse());
    // Assess
    const calls = org.callCounts();
    expect(writes(calls)).toBe(0);
    expect(calls.UpdatePolicy).toBeUndefined();
    expect(again.overflow).toEqual([]);
  });

  it("respects the 5-per-target limit given the customer's SCPs, and overflows everything on a full target", async () => {
    // Prepare: FullAWSAccess + 2 customer SCPs leave 2 slots
    const { org, adapter } = await start();
    org.seed.policy({ name: "customer-guardrails", content: denyS3, targetIds: ["r-ab12"] });
    org.seed.policy({ name: "customer-regions", content: denyS3, targetIds: ["r-ab12"] });
    // Act
    const twoSlots = await adapter.writeRevocationScps(leavers(300));
    // Assess
    expect(toolPolicies(org)).toHaveLength(2);
    expect(org.state.policiesOn("r-ab12")).toHaveLength(5);
    expect(twoSlots.overflow.length).toBeGreaterThan(0);

    // Prepare: a full target (the tool's SCPs were removed first)
    await adapter.writeRevocationScps([]);
    org.seed.policy({ name: "customer-3", content: denyS3, targetIds: ["r-ab12"] });
    org.seed.policy({ name: "customer-4", content: denyS3, targetIds: ["r-ab12"] });
    org.resetCallCounts();
    // Act
    const full = await adapter.writeRevocationScps(leavers(3));
    // Assess
    expect(full.policyIds).toEqual([]);
    expect(full.overflow.flatMap((s) => s.Condition.StringEquals["identitystore:userId"]).sort()).toEqual(
      leavers(3)
        .map((d) => d.userId)
        .sort(),
    );
    expect(writes(org.callCounts())).toBe(0);
  });

  it("never changes a customer SCP, even one named with the tool's prefix", async () => {
    // Prepare
    const { org, adapter } = await start();
    const guardrail = org.seed.policy({
      name: "customer-guardrails",
      content: denyS3,
      targetIds: ["r-ab12"],
    });
    const lookalike = org.seed.policy({
      name: "okta-aws-lifecycle-revocation-legacy",
      description: "hand-made",
      content: denyS3,
      targetIds: ["r-ab12"],
    });
    const before = org.snapshot().policies.filter((p) => p.id === guardrail || p.id === lookalike);
    // Act
    await adapter.writeRevocationScps(leavers(200));
    await adapter.writeRevocationScps([leaver(icUserId(1))]);
    await adapter.writeRevocationScps([]);
    // Assess
    const after = org.snapshot().policies.filter((p) => p.id === guardrail || p.id === lookalike);
    expect(after).toEqual(before);
  });

  it("repairs a tool SCP edited by hand and re-attaches one detached by hand", async () => {
    // Prepare
    const { org, adapter } = await start();
    const { policyIds } = await adapter.writeRevocationScps(leavers(2));
    const id = policyIds[0] as string;
    const record = org.state.policies.get(id);
    if (record) record.content = denyS3;
    org.state.attachments.set("r-ab12", [FULL_AWS_ACCESS_ID]);
    org.resetCallCounts();
    // Act
    await adapter.writeRevocationScps(leavers(2));
    // Assess
    expect(org.callCounts()).toMatchObject({ UpdatePolicy: 1, AttachPolicy: 1 });
    expect(deniedUsers([org.state.policies.get(id)?.content as string])).toEqual(
      new Set(leavers(2).map((d) => d.userId)),
    );
    expect(org.state.policiesOn("r-ab12")).toContain(id);
  });

  it("shards a mover who lost a permission set in 140 accounts, keeping every role pattern", async () => {
    // Prepare
    const { org, adapter } = await start();
    const accountIds = Array.from({ length: 140 }, (_, i) => String(200000000000 + i));
    const denies: DenyEntry[] = [
      { ...leaver("u-mover"), reason: "mover", scope: { permissionSetName: "PlatformAdmin", accountIds } },
    ];
    // Act
    const result = await adapter.writeRevocationScps(denies);
    // Assess
    const contents = toolPolicies(org).map((p) => p.content);
    expect(contents.length).toBeGreaterThan(1);
    for (const c of contents) expect(scpLength(c)).toBeLessThanOrEqual(5120);
    expect(union(contents.map(policyAtoms))).toEqual(statementAtoms(denyStatements(denies)));
    expect(result.overflow).toEqual([]);
  });

  it("retires a policy early when a gap in the numbering would overfill the target", async () => {
    // Prepare: FullAWSAccess, a customer SCP, and the tool's -1 and -4 (hand-deleted -2 and -3): 4 attached
    const { org, adapter } = await start();
    org.seed.policy({ name: "customer", content: denyS3, targetIds: ["r-ab12"] });
    for (const n of [1, 4]) {
      const content = JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: `OktaAwsLifecycleOld${n}`,
            Effect: "Deny",
            Action: "*",
            Resource: "*",
            Condition: { StringEquals: { "identitystore:userId": [`old-${n}`] } },
          },
        ],
      });
      org.seed.policy({
        name: `okta-aws-lifecycle-revocation-${n}`,
        description: REVOCATION_SCP_MARKER,
        content,
        targetIds: ["r-ab12"],
      });
    }
    // Act: 300 leavers need 3 SCPs (-1, -2, -3); -4 must go to make room
    const result = await adapter.writeRevocationScps(leavers(300));
    // Assess
    expect(toolPolicies(org).map((p) => p.name)).toEqual(
      [1, 2, 3].map((n) => `okta-aws-lifecycle-revocation-${n}`),
    );
    expect(org.state.policiesOn("r-ab12")).toHaveLength(5);
    const placed = deniedUsers(toolPolicies(org).map((p) => p.content));
    const overflowed = result.overflow.flatMap((s) => s.Condition.StringEquals["identitystore:userId"]);
    expect(placed.size + overflowed.length).toBe(300);
  });

  it("writes to another target when asked, under another name prefix", async () => {
    // Prepare
    const { org, adapter } = await start();
    const ou = org.seed.organizationalUnit({ name: "Prod" });
    // Act
    const { policyIds } = await adapter.writeRevocationScps([leaver("u-1")], {
      targetId: ou,
      namePrefix: "test-deny",
    });
    // Assess
    expect(org.state.policies.get(policyIds[0] as string)?.name).toBe("test-deny-1");
    expect(org.state.policiesOn(ou)).toEqual([FULL_AWS_ACCESS_ID, policyIds[0]]);
    expect(org.state.policiesOn("r-ab12")).toEqual([FULL_AWS_ACCESS_ID]);
  });
});

describe("OrganizationsAdapter.listRevocationScps", () => {
  it("returns the tool's SCPs attached to the root, in order, with their content", async () => {
    // Prepare
    const { org, adapter } = await start();
    org.seed.policy({ name: "customer", content: denyS3, targetIds: ["r-ab12"] });
    await adapter.writeRevocationScps(leavers(250));
    // Act
    const scps = await adapter.listRevocationScps();
    // Assess
    expect(scps.map((s) => s.name)).toEqual(toolPolicies(org).map((p) => p.name));
    expect(scps.map((s) => s.content)).toEqual(toolPolicies(org).map((p) => p.content));
    expect(deniedUsers(scps.map((s) => s.content)).size).toBe(250);
  });
});

describe("OrganizationsAdapter: throttling", () => {
  it("surfaces TooManyRequestsException when the client does not retry", async () => {
    // Prepare
    const { org, adapter } = await start({}, 1);
    org.faults.throttleNext = 1;
    // Act
    let caught: unknown;
    try {
      await adapter.readOrganization();
    } catch (error) {
      caught = error;
    }
    // Assess
    expect((caught as Error).name).toBe("TooManyRequestsException");
    expect(isRetryableOrganizationsError(caught)).toBe(true);
  });

  it("completes when the client's retries absorb the throttling", async () => {
    // Prepare
    const { org, adapter } = await start({}, 3);
    org.faults.throttleNext = 1;
    // Act
    const result = await adapter.writeRevocationScps([leaver("u-1")]);
    // Assess
    expect(result.policyIds).toHaveLength(1);
    expect(Object.values(org.snapshot().throttled).reduce((a, b) => a + b, 0)).toBe(1);
  });
});
