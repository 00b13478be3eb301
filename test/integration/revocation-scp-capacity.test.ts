/**
 * A layoff larger than the revocation SCPs against the Organizations emulator with the real SDK client
 * (issue 17): the mass fallback (policy massFallback auto), the users left out (ask), and a size limit
 * lower than configured (ConstraintViolationException POLICY_CONTENT_LIMIT_EXCEEDED: written smaller).
 */
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { afterEach, describe, expect, it } from "vitest";
import {
  DEFAULT_REVOCATION_SCP_PREFIX,
  OrganizationsAdapter,
  type OrganizationsAdapterOptions,
  REVOCATION_SCP_PLACEHOLDER,
  revocationScpSlot,
} from "../../adapters/organizations.ts";
import type { DenyEntry } from "../../core/estate.ts";
import { policyAtoms } from "../../core/revocation/deny-atoms.ts";
import { scpLength } from "../../core/revocation/deny-statement.ts";
import { MASS_FALLBACK_SID } from "../../core/revocation/mass-fallback.ts";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import { createOrganizationsEmulator } from "../../local/emulators/organizations/index.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** An organization whose SCPs hold at most 1,000 characters, with two revocation slots on the root. */
async function start(adapterOptions: Partial<OrganizationsAdapterOptions> = {}) {
  const org = createOrganizationsEmulator({ rootId: "r-ab12", limits: { maxPolicyChars: 1000 } });
  const server = await startAwsJsonServer([org.service]);
  const client = new OrganizationsClient({ ...localClientConfig(server.endpoint), maxAttempts: 1 });
  cleanups.push(async () => {
    client.destroy();
    await server.close();
  });
  const slots = [0, 1].map((slot) =>
    org.seed.policy({ ...revocationScpSlot(DEFAULT_REVOCATION_SCP_PREFIX, slot), targetIds: ["r-ab12"] }),
  );
  const adapter = new OrganizationsAdapter({ client, maxPolicyChars: 1000, ...adapterOptions });
  const stored = () => slots.map((id) => org.state.policies.get(id)?.content as string);
  return { adapter, slots, stored };
}

const icUserId = (n: number) => `906752d7c7-${n.toString(16).padStart(8, "0")}-1111-2222-3333-444455556666`;
/** 40 leavers deactivated a minute apart. */
const layoff: DenyEntry[] = Array.from({ length: 40 }, (_, i) => ({
  userId: icUserId(i),
  scope: "all",
  reason: "leaver",
  createdAt: new Date(Date.UTC(2026, 5, 1, 12, i)).toISOString(),
  expiresAt: "2026-06-02T12:00:00.000Z",
}));
const usersIn = (docs: string[]) =>
  new Set(docs.flatMap((d) => [...policyAtoms(d)].map((a) => a.split("|")[0])));

describe("revocation SCPs overflowed by a layoff", () => {
  it("massFallback auto: slot 1 starts with the fallback, and every leaver is in a slot or under it", async () => {
    // Prepare
    const { adapter, slots, stored } = await start();
    // Act
    const result = await adapter.writeRevocationScps(layoff, { slots, massFallback: "auto" });
    // Assess
    const [first] = stored();
    expect(JSON.parse(first as string).Statement[0]).toMatchObject({
      Sid: MASS_FALLBACK_SID,
      Condition: { DateLessThan: { "aws:TokenIssueTime": result.fallback?.issuedBefore } },
    });
    const placed = usersIn(stored());
    for (const d of layoff) {
      if (placed.has(d.userId)) continue;
      expect(result.fallback?.userIds).toContain(d.userId);
      expect(d.createdAt <= (result.fallback?.issuedBefore as string)).toBe(true);
    }
    expect(result.uncovered).toEqual([]);
    expect(stored().every((c) => scpLength(c) <= 1000)).toBe(true);
  });

  it("massFallback ask: writes what fits and names everyone else, nothing more", async () => {
    // Prepare
    const { adapter, slots, stored } = await start();
    // Act
    const result = await adapter.writeRevocationScps(layoff, { slots, massFallback: "ask" });
    // Assess
    const placed = usersIn(stored());
    expect(result.fallback).toBeNull();
    expect(stored().join("")).not.toContain(MASS_FALLBACK_SID);
    expect(new Set([...placed, ...result.uncovered])).toEqual(new Set(layoff.map((d) => d.userId)));
    expect(result.uncovered.some((u) => placed.has(u))).toBe(false);
  });

  it("the fallback goes once the Denies fit again", async () => {
    // Prepare
    const { adapter, slots, stored } = await start();
    await adapter.writeRevocationScps(layoff, { slots, massFallback: "auto" });
    // Act: the holds of all but three ended
    const result = await adapter.writeRevocationScps(layoff.slice(0, 3), { slots, massFallback: "auto" });
    // Assess
    expect(result.fallback).toBeNull();
    expect(stored().join("")).not.toContain(MASS_FALLBACK_SID);
    expect(usersIn(stored())).toEqual(new Set(layoff.slice(0, 3).map((d) => d.userId)));
    expect(stored()[1]).toBe(REVOCATION_SCP_PLACEHOLDER);
  });

  it("a limit lower than configured (POLICY_CONTENT_LIMIT_EXCEEDED): written at half the size, and said", async () => {
    // Prepare: configured 2,000, the organization takes 1,000
    const { adapter, slots, stored } = await start({ maxPolicyChars: 2000 });
    // Act
    const result = await adapter.writeRevocationScps(layoff.slice(0, 30), { slots, massFallback: "auto" });
    // Assess
    expect(result.limitHit).toEqual({ configuredChars: 2000, writtenChars: 1000 });
    expect(stored().every((c) => scpLength(c) <= 1000)).toBe(true);
    const placed = usersIn(stored());
    const covered = new Set([...placed, ...(result.fallback?.userIds ?? [])]);
    expect(covered).toEqual(new Set(layoff.slice(0, 30).map((d) => d.userId)));
  });
});
