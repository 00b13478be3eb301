/**
 * Organizations' "try again later" conflicts over the wire: the emulator answers
 * PolicyChangesInProgressException and ConcurrentModificationException only where the model lists
 * them, and the adapter's policy writes retry both with backoff until the SCP is written.
 */
import {
  CreatePolicyCommand,
  DescribePolicyCommand,
  OrganizationsClient,
  UpdatePolicyCommand,
} from "@aws-sdk/client-organizations";
import { afterEach, describe, expect, it } from "vitest";
import type { ConflictRetry } from "../../adapters/organizations/retry-conflicts.ts";
import {
  DEFAULT_REVOCATION_SCP_PREFIX,
  isRetryableOrganizationsError,
  OrganizationsAdapter,
  revocationScpSlot,
} from "../../adapters/organizations.ts";
import type { DenyEntry } from "../../core/estate.ts";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import {
  createOrganizationsEmulator,
  type OrganizationsEmulatorOptions,
} from "../../local/emulators/organizations/index.ts";
import { retryableByWorkflow } from "../../usecases/shared/dependency-unavailable.ts";
import { TRANSIENT_TASK_ERRORS } from "../../workflows/user-reconcile.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const leaver = (userId: string): DenyEntry => ({
  userId,
  scope: "all",
  reason: "leaver",
  createdAt: "2026-06-01T12:00:00.000Z",
  expiresAt: "2026-06-02T00:00:00.000Z",
});
const JANE = "906752d7c7-00000001-1111-2222-3333-444455556666";
const JOHN = "906752d7c7-00000002-1111-2222-3333-444455556666";
const PENDING = "PolicyChangesInProgressException";
const CONCURRENT = "ConcurrentModificationException";

/** The emulator behind the real SDK client (no SDK retries), and an adapter whose backoff waits are recorded. */
async function start(options: OrganizationsEmulatorOptions = {}, retry: Partial<ConflictRetry> = {}) {
  const org = createOrganizationsEmulator({ rootId: "r-ab12", ...options });
  const server = await startAwsJsonServer([org.service]);
  const client = new OrganizationsClient({ ...localClientConfig(server.endpoint), maxAttempts: 1 });
  cleanups.push(async () => {
    client.destroy();
    await server.close();
  });
  const waits: number[] = [];
  const adapter = new OrganizationsAdapter({
    client,
    // The top of each full-jitter range, so the waits are the backoff caps.
    conflictRetry: { random: () => 1, sleep: async (ms) => void waits.push(ms), ...retry },
  });
  const slot = (n: number) =>
    org.seed.policy({ ...revocationScpSlot(DEFAULT_REVOCATION_SCP_PREFIX, n), targetIds: ["r-ab12"] });
  return { org, client, adapter, waits, slot };
}

describe("OrganizationsAdapter: policy writes retry Organizations' conflicts", () => {
  it("UpdatePolicy answering PolicyChangesInProgressException twice, then succeeding, ends in the SCP written", async () => {
    // Prepare
    const { org, adapter, waits, slot } = await start();
    const slots = [slot(0)];
    org.faults.failNext.push(
      {
        operation: "UpdatePolicy",
        type: PENDING,
        message: "Changes to the effective policy are in progress",
      },
      {
        operation: "UpdatePolicy",
        type: PENDING,
        message: "Changes to the effective policy are in progress",
      },
    );

    // Act
    const written = await adapter.writeRevocationScps([leaver(JANE)], { slots });

    // Assess
    expect(written).toEqual({
      policyIds: slots,
      overflow: [],
      fallback: null,
      federatedFallback: null,
      uncovered: [],
    });
    expect(org.state.policies.get(slots[0] as string)?.content).toContain(JANE);
    expect(org.snapshot().calls.UpdatePolicy).toBe(3);
    expect(waits).toEqual([200, 400]);
    expect(org.faults.failNext).toEqual([]);
  });

  it("AttachPolicy answering ConcurrentModificationException is retried until the slot is attached", async () => {
    // Prepare: a slot someone detached
    const { org, adapter, waits } = await start();
    const slotId = org.seed.policy({ ...revocationScpSlot(DEFAULT_REVOCATION_SCP_PREFIX, 0), targetIds: [] });
    org.faults.failNext.push({ operation: "AttachPolicy", type: CONCURRENT });

    // Act
    await adapter.writeRevocationScps([leaver(JANE)], { slots: [slotId], targetId: "r-ab12" });

    // Assess
    expect((await adapter.listRevocationScps({ slots: [slotId] })).map((s) => s.policyId)).toEqual([slotId]);
    expect(org.snapshot().calls.AttachPolicy).toBe(2);
    expect(waits).toEqual([200]);
  });

  it("gives up after its attempts with the conflict itself, which the workflow's task retry takes over", async () => {
    // Prepare
    const { org, adapter, waits, slot } = await start({}, { maxAttempts: 3 });
    const slots = [slot(0)];
    for (let i = 0; i < 3; i++) org.faults.failNext.push({ operation: "UpdatePolicy", type: PENDING });

    // Act
    const attempt = adapter.writeRevocationScps([leaver(JANE)], { slots });

    // Assess
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toMatchObject({ name: PENDING });
    expect(isRetryableOrganizationsError(error)).toBe(true);
    expect(org.snapshot().calls.UpdatePolicy).toBe(3);
    expect(waits).toEqual([200, 400]);
    const asTask = await retryableByWorkflow("user-reconcile applyDenies", () => Promise.reject(error)).catch(
      (e: Error) => e,
    );
    expect(TRANSIENT_TASK_ERRORS).toContain((asTask as Error).name);
  });

  it("a policy change still in progress (the emulator's window) delays the next write, which then lands", async () => {
    // Prepare: each policy change stays in progress for 100 ms; real waits
    const { org, adapter, slot } = await start(
      { faults: { policyChangesInProgressMs: 100 } },
      { sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    );
    const slots = [slot(0)];
    await adapter.writeRevocationScps([leaver(JANE)], { slots });

    // Act: a second leaver right after the first
    await adapter.writeRevocationScps([leaver(JANE), leaver(JOHN)], { slots });

    // Assess: one UpdatePolicy was turned away, then both Denies are in force
    const content = org.state.policies.get(slots[0] as string)?.content ?? "";
    expect(content).toContain(JANE);
    expect(content).toContain(JOHN);
    expect(org.snapshot().calls.UpdatePolicy).toBe(3);
  });
});

describe("Organizations emulator: conflicts only where the model lists them", () => {
  it("answers ConcurrentModificationException to UpdatePolicy but never to DescribePolicy", async () => {
    // Prepare
    const { org, client, slot } = await start({ faults: { concurrentModificationRate: 1 } });
    const id = slot(0);

    // Act
    const update = await client
      .send(new UpdatePolicyCommand({ PolicyId: id, Description: "x" }))
      .catch((e: Error) => e);
    const described = await client.send(new DescribePolicyCommand({ PolicyId: id }));

    // Assess
    expect(update).toMatchObject({ name: CONCURRENT });
    expect(described.Policy?.PolicySummary?.Id).toBe(id);
    expect(org.state.policies.get(id)?.description).not.toBe("x");
  });

  it("refuses to script PolicyChangesInProgressException for an operation that never answers it", async () => {
    // Prepare
    const { org, client } = await start();
    org.faults.failNext.push({ operation: "CreatePolicy", type: PENDING });

    // Act
    const created = client
      .send(
        new CreatePolicyCommand({
          Name: "x",
          Description: "x",
          Type: "SERVICE_CONTROL_POLICY",
          Content: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Deny", Action: "s3:*", Resource: "*" }],
          }),
        }),
      )
      .catch((e: Error) => e);

    // Assess
    expect(await created).toMatchObject({
      message: expect.stringContaining("never answers PolicyChangesInProgressException to CreatePolicy"),
    });
  });
});
