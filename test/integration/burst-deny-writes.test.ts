/**
 * A burst of leavers shares SCP writes (issue 17): forty runs record their Deny and enforce at once,
 * against the real Deny ledger, lease and last-write record in DynamoDB (dynalite) and the
 * Organizations emulator through the SDK. Every run's Deny is in a write that finished (its own, or
 * the one that carried it), and the burst costs a handful of writes rather than forty in a queue.
 */
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DenyLedger } from "../../adapters/deny-ledger.ts";
import { LeaseLock } from "../../adapters/lease-lock.ts";
import {
  DEFAULT_REVOCATION_SCP_PREFIX,
  OrganizationsAdapter,
  revocationScpSlot,
} from "../../adapters/organizations.ts";
import { RevocationWriteMarker } from "../../adapters/revocation-write-marker.ts";
import type { DenyEntry } from "../../core/estate.ts";
import type { RevocationScpPort } from "../../core/ports.ts";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import { createOrganizationsEmulator } from "../../local/emulators/organizations/index.ts";
import { type StorageServers, startStorageServers } from "../../local/runtime/storage-servers.ts";
import { type EnforceDeniesDeps, enforceDenies } from "../../usecases/reconcile-user/enforce-denies.ts";

const ROOT = "r-ab12";
const icUserId = (n: number) => `906752d7c7-${n.toString(16).padStart(8, "0")}-1111-2222-3333-444455556666`;
const leaverDeny = (n: number): DenyEntry => ({
  userId: icUserId(n),
  scope: "all",
  reason: "leaver",
  createdAt: new Date(Date.UTC(2026, 11, 7, 6, 0, n)).toISOString(),
  expiresAt: "2099-01-01T00:00:00.000Z",
});

describe("a burst of leavers: one SCP write carries the Denies recorded while the previous one ran", () => {
  let storage: StorageServers;
  let closeOrganizations: () => Promise<void>;
  let deps: EnforceDeniesDeps;
  /** The users each write put in force, by the run that wrote (recorded by each run's own port). */
  const writtenBy = new Map<string, Set<string>>();
  let writes = 0;

  beforeAll(async () => {
    storage = await startStorageServers({
      s3Port: 0,
      dynamoPort: 0,
      bucket: "burst-evidence",
      tables: { idempotency: "idem-b", state: "state-b" },
    });
    const table = { doc: storage.doc, tableName: "state-b" };
    const org = createOrganizationsEmulator({ rootId: ROOT });
    const server = await startAwsJsonServer([org.service]);
    const client = new OrganizationsClient({ ...localClientConfig(server.endpoint), maxAttempts: 1 });
    closeOrganizations = async () => {
      client.destroy();
      await server.close();
    };
    const slots = [0, 1, 2, 3].map((slot) =>
      org.seed.policy({ ...revocationScpSlot(DEFAULT_REVOCATION_SCP_PREFIX, slot), targetIds: [ROOT] }),
    );
    const real = new OrganizationsAdapter({ client }).revocationScpPort({ slots });
    // The real port, slowed as UpdatePolicy is in AWS, counting the writes.
    const scps: RevocationScpPort = {
      listRevocationScps: () => real.listRevocationScps(),
      writeRevocationScps: async (denies, options) => {
        writes++;
        await new Promise((r) => setTimeout(r, 150));
        return real.writeRevocationScps(denies, options);
      },
    };
    deps = {
      ledger: new DenyLedger(table),
      lock: new LeaseLock(table, { pollMs: 20 }),
      marker: new RevocationWriteMarker(table),
      scps,
      identityCenter: {} as never,
      instanceArn: "arn:aws:sso:::instance/ssoins-1111111111111111",
      managementAccountId: undefined,
      now: () => new Date().toISOString(),
    };
  }, 60_000);
  afterAll(async () => {
    await closeOrganizations();
    await storage.close();
  });

  it("puts every leaver's Deny in force with far fewer writes than leavers", async () => {
    // Act: forty runs record their Deny and enforce at the same time, as a layoff's runs do
    const runs = await Promise.all(
      Array.from({ length: 40 }, async (_, n) => {
        const runId = `run-${n}`;
        await deps.ledger.add(leaverDeny(n));
        const ledgerSeq = await deps.ledger.advance();
        const enforced = await enforceDenies(
          {
            ...deps,
            scps: {
              ...deps.scps,
              writeRevocationScps: async (denies, options) => {
                const result = await deps.scps.writeRevocationScps(denies, options);
                writtenBy.set(runId, new Set(denies.map((d) => d.userId)));
                return result;
              },
            },
          },
          { runId, ledgerSeq },
        );
        return { n, runId, ledgerSeq, enforced };
      }),
    );

    // Assess: every run's Deny was in a finished write, its own or the one that carried it
    for (const { n, runId, ledgerSeq, enforced } of runs) {
      const writer = enforced.carriedBy?.runId ?? runId;
      expect(writtenBy.get(writer)?.has(icUserId(n)), `${runId}'s Deny in ${writer}'s write`).toBe(true);
      if (enforced.carriedBy) expect(enforced.carriedBy.seq).toBeGreaterThanOrEqual(ledgerSeq);
      expect(enforced.scpPolicyIds.length).toBeGreaterThan(0);
    }
    const carried = runs.filter((r) => r.enforced.carriedBy !== undefined).length;
    expect(carried).toBeGreaterThan(0);
    expect(writes).toBe(40 - carried);
    expect(writes).toBeLessThan(10);
    // And the SCPs as Organizations holds them deny all forty
    const content = (await deps.scps.listRevocationScps()).map((p) => p.content).join("\n");
    for (let n = 0; n < 40; n++) expect(content).toContain(icUserId(n));
  }, 60_000);

  it("a run whose change came after the last write writes itself", async () => {
    // Prepare: the ledger moves on after the burst
    const before = writes;
    await deps.ledger.add(leaverDeny(40));
    const ledgerSeq = await deps.ledger.advance();

    // Act
    const enforced = await enforceDenies(deps, { runId: "run-late", ledgerSeq });

    // Assess
    expect(enforced.carriedBy).toBeUndefined();
    expect(writes).toBe(before + 1);
    expect((await deps.marker.read())?.seq).toBe(ledgerSeq);
    const content = (await deps.scps.listRevocationScps()).map((p) => p.content).join("\n");
    expect(content).toContain(icUserId(40));
  }, 60_000);
});
