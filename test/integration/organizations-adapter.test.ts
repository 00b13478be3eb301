/**
 * OrganizationsAdapter against the Organizations emulator with the real `@aws-sdk/client-organizations`:
 * reading a nested organization, and keeping the revocation SCP slots equal to the Denies (sharding,
 * overflow, shrinking to the placeholder, idempotence, only UpdatePolicy/AttachPolicy on the slots,
 * customer SCPs untouched, throttling).
 */
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { afterEach, describe, expect, it } from "vitest";
import {
  DEFAULT_REVOCATION_SCP_PREFIX,
  isRetryableOrganizationsError,
  OrganizationsAdapter,
  REVOCATION_SCP_PLACEHOLDER,
  revocationScpSlot,
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
import { PAGE_SHAPES, type PageShape } from "../../local/emulators/page-shape.ts";

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
  // Organizations' lists "can occasionally return an empty set of results even when more results are
  // available" (local/emulators/page-shape.ts): the same organization under every page shape.
  it.each(PAGE_SHAPES)(
    "reads a nested OU tree with accounts, tags and statuses, following every page (%s pages)",
    async (pageShape) => {
      // Prepare: pages of 2 (1 when short) so that every list takes several calls
      const { org, adapter } = await start({ limits: { pageSize: 2, pageShape } });
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
      org.seed.account({
        id: "777777777777",
        name: "closing",
        parentId: workloads,
        status: "PENDING_CLOSURE",
      });
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
    },
  );

  it.each<{ pageShape: PageShape; pages: number }>([
    { pageShape: "full", pages: 1 },
    { pageShape: "short", pages: 1 },
    { pageShape: "empty-first", pages: 2 },
  ])(
    "makes 1 + 2 x (OUs + 1) + accounts calls when every list fits one page, each call once per page ($pageShape pages)",
    async ({ pageShape, pages }) => {
      // Prepare
      const { org, adapter } = await start({ limits: { pageShape } });
      const ou = org.seed.organizationalUnit({ name: "Prod" });
      for (let i = 0; i < 5; i++) org.seed.account({ name: `a${i}`, parentId: ou });
      // Act
      await adapter.readOrganization();
      // Assess
      expect(org.callCounts()).toEqual({
        ListRoots: 1 * pages,
        ListOrganizationalUnitsForParent: 2 * pages,
        ListAccountsForParent: 2 * pages,
        ListTagsForResource: 6 * pages,
      });
    },
  );
});

/** Seeds `n` empty slots attached to the root, as the deploy creates them; returns their ids. */
function seedSlots(
  org: ReturnType<typeof createOrganizationsEmulator>,
  n: number,
  prefix = DEFAULT_REVOCATION_SCP_PREFIX,
) {
  return Array.from({ length: n }, (_, slot) =>
    org.seed.policy({ ...revocationScpSlot(prefix, slot), targetIds: ["r-ab12"] }),
  );
}
const contents = (org: ReturnType<typeof createOrganizationsEmulator>, ids: string[]) =>
  ids.map((id) => org.state.policies.get(id)?.content as string);
const holding = (org: ReturnType<typeof createOrganizationsEmulator>, ids: string[]) =>
  contents(org, ids).filter((c) => c !== REVOCATION_SCP_PLACEHOLDER);

describe("OrganizationsAdapter.writeRevocationScps", () => {
  it("writes one leaver into the first slot with UpdatePolicy only: no policy created, tagged, detached or deleted", async () => {
    // Prepare
    const { org, adapter } = await start();
    const slots = seedSlots(org, 2);
    const policies = org.snapshot().policies.length;
    // Act
    const result = await adapter.writeRevocationScps([leaver(icUserId(1))], { slots });
    // Assess
    expect(result).toEqual({
      policyIds: [slots[0]],
      overflow: [],
      fallback: null,
      federatedFallback: null,
      uncovered: [],
    });
    expect(deniedUsers(holding(org, slots))).toEqual(new Set([icUserId(1)]));
    expect(contents(org, slots)[1]).toBe(REVOCATION_SCP_PLACEHOLDER);
    expect(org.state.policiesOn("r-ab12")).toEqual([FULL_AWS_ACCESS_ID, ...slots]);
    expect(org.snapshot().policies).toHaveLength(policies);
    expect(org.callCounts()).toMatchObject({ UpdatePolicy: 1 });
    expect(writes(org.callCounts())).toBe(1);
  });

  it("asks for the organization's root once, however many Deny writes follow (the root never changes)", async () => {
    // Prepare
    const { org, adapter } = await start();
    const slots = seedSlots(org, 2);
    // Act: three writes and a read, none told the target
    for (let i = 1; i <= 3; i++) await adapter.writeRevocationScps([leaver(icUserId(i))], { slots });
    await adapter.listRevocationScps({ slots });
    // Assess
    expect(org.callCounts().ListRoots).toBe(1);
    expect(deniedUsers(holding(org, slots))).toEqual(new Set([icUserId(3)]));
  });

  it("shards 300 leavers over 4 slots, each within 5,120 characters, without overflow", async () => {
    // Prepare
    const { org, adapter } = await start();
    const slots = seedSlots(org, 4);
    // Act
    const result = await adapter.writeRevocationScps(leavers(300), { slots });
    // Assess
    expect(result.overflow).toEqual([]);
    expect(result.policyIds.length).toBeGreaterThan(1);
    for (const c of contents(org, slots)) expect(scpLength(c)).toBeLessThanOrEqual(5120);
    expect(deniedUsers(holding(org, slots)).size).toBe(300);
  });

  it("overflows what 2 slots cannot hold: every leaver is either placed or returned", async () => {
    // Prepare
    const { org, adapter } = await start();
    const slots = seedSlots(org, 2);
    // Act
    const result = await adapter.writeRevocationScps(leavers(500), { slots });
    // Assess
    const placed = deniedUsers(holding(org, slots));
    const overflowed = new Set(
      result.overflow.flatMap((s) => s.Condition.StringEquals["identitystore:userId"]),
    );
    expect(result.policyIds).toEqual(slots);
    expect(placed.size + overflowed.size).toBe(500);
    expect(new Set([...placed, ...overflowed])).toEqual(new Set(leavers(500).map((d) => d.userId)));
  });

  it("empties the slots back to the placeholder, still attached, when no Deny is left", async () => {
    // Prepare
    const { org, adapter } = await start();
    const slots = seedSlots(org, 3);
    await adapter.writeRevocationScps(leavers(300), { slots });
    // Act
    const result = await adapter.writeRevocationScps([], { slots });
    // Assess
    expect(result).toEqual({
      policyIds: [],
      overflow: [],
      fallback: null,
      federatedFallback: null,
      uncovered: [],
    });
    expect(contents(org, slots)).toEqual(slots.map(() => REVOCATION_SCP_PLACEHOLDER));
    expect(org.state.policiesOn("r-ab12")).toEqual([FULL_AWS_ACCESS_ID, ...slots]);
    expect(org.callCounts().DetachPolicy ?? 0).toBe(0);
    expect(org.callCounts().DeletePolicy ?? 0).toBe(0);
  });

  it("makes no write when called again with the same Denies (content compared)", async () => {
    // Prepare
    const { org, adapter } = await start();
    const slots = seedSlots(org, 4);
    await adapter.writeRevocationScps(leavers(300), { slots });
    org.resetCallCounts();
    // Act
    const again = await adapter.writeRevocationScps([...leavers(300)].reverse(), { slots });
    // Assess
    expect(writes(org.callCounts())).toBe(0);
    expect(again.overflow).toEqual([]);
  });

  it("never changes a customer SCP, even one named and described like a slot, and refuses one given as a slot", async () => {
    // Prepare
    const { org, adapter } = await start();
    const slots = seedSlots(org, 2);
    const guardrail = org.seed.policy({
      name: "customer-guardrails",
      content: denyS3,
      targetIds: ["r-ab12"],
    });
    const lookalike = org.seed.policy({
      name: `${DEFAULT_REVOCATION_SCP_PREFIX}-9`,
      description: "hand-made",
      content: denyS3,
      targetIds: ["r-ab12"],
    });
    const before = org.snapshot().policies.filter((p) => p.id === guardrail || p.id === lookalike);
    // Act
    await adapter.writeRevocationScps(leavers(200), { slots });
    await adapter.writeRevocationScps([], { slots });
    const misconfigured = adapter.writeRevocationScps([leaver("u-1")], { slots: [guardrail] });
    // Assess
    await expect(misconfigured).rejects.toThrow(/is not a revocation SCP slot/);
    const after = org.snapshot().policies.filter((p) => p.id === guardrail || p.id === lookalike);
    expect(after).toEqual(before);
  });

  it("repairs a slot edited by hand and re-attaches one detached by hand", async () => {
    // Prepare
    const { org, adapter } = await start();
    const slots = seedSlots(org, 1);
    const id = slots[0] as string;
    await adapter.writeRevocationScps(leavers(2), { slots });
    const record = org.state.policies.get(id);
    if (record) record.content = denyS3;
    org.state.attachments.set("r-ab12", [FULL_AWS_ACCESS_ID]);
    org.resetCallCounts();
    // Act
    await adapter.writeRevocationScps(leavers(2), { slots });
    // Assess
    expect(org.callCounts()).toMatchObject({ UpdatePolicy: 1, AttachPolicy: 1 });
    expect(deniedUsers(holding(org, slots))).toEqual(new Set(leavers(2).map((d) => d.userId)));
    expect(org.state.policiesOn("r-ab12")).toContain(id);
  });

  it("overflows into the caller rather than attach a detached slot to a full root", async () => {
    // Prepare: the slot was detached and the customer filled the root
    const { org, adapter } = await start();
    const slots = seedSlots(org, 1);
    org.state.attachments.set("r-ab12", [FULL_AWS_ACCESS_ID]);
    for (const n of [1, 2, 3, 4])
      org.seed.policy({ name: `customer-${n}`, content: denyS3, targetIds: ["r-ab12"] });
    org.resetCallCounts();
    // Act
    const full = await adapter.writeRevocationScps(leavers(3), { slots });
    // Assess
    expect(full.policyIds).toEqual([]);
    expect(full.overflow.flatMap((s) => s.Condition.StringEquals["identitystore:userId"]).sort()).toEqual(
      leavers(3)
        .map((d) => d.userId)
        .sort(),
    );
    expect(writes(org.callCounts())).toBe(0);
  });

  it("shards a mover who lost a permission set in 140 accounts, keeping every role pattern", async () => {
    // Prepare
    const { org, adapter } = await start();
    const slots = seedSlots(org, 4);
    const accountIds = Array.from({ length: 140 }, (_, i) => String(200000000000 + i));
    const denies: DenyEntry[] = [
      { ...leaver("u-mover"), reason: "mover", scope: { permissionSetName: "PlatformAdmin", accountIds } },
    ];
    // Act
    const result = await adapter.writeRevocationScps(denies, { slots });
    // Assess
    const held = holding(org, slots);
    expect(held.length).toBeGreaterThan(1);
    for (const c of held) expect(scpLength(c)).toBeLessThanOrEqual(5120);
    expect(union(held.map(policyAtoms))).toEqual(statementAtoms(denyStatements(denies)));
    expect(result.overflow).toEqual([]);
  });

  it.each(PAGE_SHAPES)(
    "finds the slots by name prefix and marker when not told their ids, and says so when there are none (%s pages)",
    async (pageShape) => {
      // Prepare: pages of 2 (1 when short), so slots and FullAWSAccess span pages
      const { org, adapter } = await start({ limits: { pageSize: 2, pageShape } });
      const ou = org.seed.organizationalUnit({ name: "Prod" });
      const none = adapter.writeRevocationScps([leaver("u-1")], { targetId: ou, namePrefix: "test-deny" });
      await expect(none).rejects.toThrow(/no revocation SCP slot named test-deny-<n>/);
      const slots = seedSlots(org, 2, "test-deny");
      // Act
      const { policyIds } = await adapter.writeRevocationScps([leaver("u-1")], {
        targetId: ou,
        namePrefix: "test-deny",
      });
      // Assess
      expect(policyIds).toEqual([slots[0]]);
      expect(org.state.policiesOn(ou)).toEqual([FULL_AWS_ACCESS_ID, ...slots]);
      expect(org.state.policies.get(slots[0] as string)?.name).toBe("test-deny-1");
    },
  );
});

describe("OrganizationsAdapter.listRevocationScps", () => {
  it.each(PAGE_SHAPES)(
    "returns the attached slots holding Denies, in order, with their content; empty slots are left out (%s pages)",
    async (pageShape) => {
      // Prepare: pages of 2 (1 when short), so the slots span pages
      const { org, adapter } = await start({ limits: { pageSize: 2, pageShape } });
      const slots = seedSlots(org, 4);
      org.seed.policy({ name: "customer", content: denyS3, targetIds: ["r-ab12"] });
      await adapter.writeRevocationScps(leavers(250), { slots });
      // Act
      const scps = await adapter.listRevocationScps({ slots });
      const discovered = await adapter.listRevocationScps();
      // Assess
      expect(scps.map((s) => s.content)).toEqual(holding(org, slots));
      expect(scps.length).toBeLessThan(slots.length);
      expect(scps[0]?.name).toBe(`${DEFAULT_REVOCATION_SCP_PREFIX}-1`);
      expect(discovered).toEqual(scps);
      expect(deniedUsers(scps.map((s) => s.content)).size).toBe(250);
    },
  );
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
    const slots = seedSlots(org, 1);
    org.faults.throttleNext = 1;
    // Act
    const result = await adapter.writeRevocationScps([leaver("u-1")], { slots });
    // Assess
    expect(result.policyIds).toHaveLength(1);
    expect(Object.values(org.snapshot().throttled).reduce((a, b) => a + b, 0)).toBe(1);
  });
});
