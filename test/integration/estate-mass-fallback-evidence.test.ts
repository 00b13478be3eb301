/**
 * An estate run that writes the mass fallback (issue 17): the Deny write overflows the revocation
 * SCPs (1,000 characters, two slots, the Organizations emulator through the real SDK client) under
 * massFallback: auto. Its evidence names every leaver the fallback covers, as a user run's does, and
 * the run emits the alarmed MassFallbacks signal.
 */
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { afterEach, describe, expect, it } from "vitest";
import type { DenyLedger } from "../../adapters/deny-ledger.ts";
import type { EvidenceStore } from "../../adapters/evidence-store.ts";
import type { LeaseLock } from "../../adapters/lease-lock.ts";
import {
  DEFAULT_REVOCATION_SCP_PREFIX,
  OrganizationsAdapter,
  revocationScpSlot,
} from "../../adapters/organizations.ts";
import type { DenyEntry } from "../../core/estate.ts";
import type { EvidenceDraft } from "../../core/evidence/record.ts";
import { denyKey } from "../../core/plan/deny-key.ts";
import type { Finding, PlanAction } from "../../core/plan/plan.ts";
import type { PlanInput } from "../../core/plan/plan-estate.ts";
import { policyAtoms } from "../../core/revocation/deny-atoms.ts";
import type { MassFallbackMode } from "../../core/revocation/fit-revocation-scps.ts";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import { createOrganizationsEmulator } from "../../local/emulators/organizations/index.ts";
import { estateRunSignals } from "../../usecases/reconcile-estate/estate-run-signals.ts";
import { type ExecutorIdentityCenter, PlanExecutor } from "../../usecases/reconcile-estate/plan-executor.ts";
import { writeEstateEvidenceRecords } from "../../usecases/reconcile-estate/reconcile-estate.ts";
import { ThrottleBudget } from "../../usecases/reconcile-estate/throttle-budget.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const NOW = "2026-06-01T13:00:00.000Z";
const icUserId = (n: number) => `906752d7c7-${n.toString(16).padStart(8, "0")}-1111-2222-3333-444455556666`;
const layoff: DenyEntry[] = Array.from({ length: 40 }, (_, i) => ({
  userId: icUserId(i),
  scope: "all",
  reason: "leaver",
  createdAt: new Date(Date.UTC(2026, 5, 1, 12, i)).toISOString(),
  expiresAt: "2026-06-02T12:00:00.000Z",
}));

/** The ledger as the executor uses it, in memory. */
function memoryLedger(): DenyLedger {
  const entries = new Map<string, DenyEntry>();
  return {
    list: async () => [...entries].map(([denyId, deny]) => ({ denyId, deny })),
    sequence: async () => 0,
    add: async (deny: DenyEntry) => {
      entries.set(denyKey(deny), deny);
    },
    remove: async (denyId: string) => {
      entries.delete(denyId);
    },
  } as unknown as DenyLedger;
}

async function estateDenyWrite(massFallback: MassFallbackMode) {
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
  const organizations = new OrganizationsAdapter({ client, maxPolicyChars: 1000 });
  const ledger = memoryLedger();
  const executor = new PlanExecutor({
    identityCenter: {} as ExecutorIdentityCenter, // no assignment in this plan
    ledger,
    enforce: {
      ledger,
      lock: { withLease: (_name: string, work: () => Promise<unknown>) => work() } as unknown as LeaseLock,
      marker: { read: async () => undefined, record: async () => {} } as never,
      scps: organizations.revocationScpPort({ slots }),
      identityCenter: {} as never,
      instanceArn: "arn:aws:sso:::instance/ssoins-1",
      managementAccountId: undefined,
      massFallback,
      now: () => NOW,
    },
    budget: new ThrottleBudget({ callsPerSecond: 1_000 }),
    now: () => NOW,
  });
  const actions: PlanAction[] = layoff.map((deny) => ({
    kind: "deny.add",
    deny,
    inlinePermissionSetArns: [],
  }));
  const outcomes = await executor.execute(actions);
  const placed = new Set(
    slots.flatMap((id) =>
      [...policyAtoms(org.state.policies.get(id)?.content as string)].map((a) => a.split("|")[0]),
    ),
  );
  return { executor, actions, outcomes, placed };
}

describe("estate run: the mass fallback in evidence", () => {
  it("massFallback auto: the evidence's mass-fallback finding names every leaver outside the SCPs; MassFallbacks fires", async () => {
    // Act
    const { executor, actions, outcomes, placed } = await estateDenyWrite("auto");
    const appended: EvidenceDraft[] = [];
    const evidence = {
      append: async (draft: EvidenceDraft, id: string) => {
        appended.push(draft);
        return { key: id };
      },
    } as unknown as EvidenceStore;
    const input = {
      okta: { groups: [], users: [] },
      identityCenter: {
        permissionSets: [],
        assignments: [],
        memberships: [],
        users: [],
        groups: [],
        denies: [],
        provisioned: [],
      },
      organization: { accounts: [] },
    } as unknown as PlanInput;
    await writeEstateEvidenceRecords(
      { evidence, now: () => NOW, runId: "estate-1" },
      {
        input,
        plan: { status: "ready", actions, findings: [], violations: [] } as never,
        outcomes,
        applied: true,
        trigger: { type: "manual", requestedBy: "test" },
        runStarted: NOW,
        snapshot: false,
        denyFindings: executor.denyFindings,
      },
    );

    // Assess
    const body = (appended[0] as EvidenceDraft).body as unknown as { plan: { findings: Finding[] } };
    const findings = body.plan.findings;
    const fallback = findings.find((f) => f.kind === "mass-fallback");
    const covered = new Set(fallback?.subject.userIds?.split(","));
    const outside = layoff.filter((d) => !placed.has(d.userId));
    expect(outside.length).toBeGreaterThan(0);
    for (const d of outside) expect(covered.has(d.userId)).toBe(true);
    expect(String(fallback?.subject.issuedBefore) >= String(outside.at(-1)?.createdAt)).toBe(true);
    expect(estateRunSignals(findings)).toEqual(["MassFallbacks"]);
    expect(outcomes.filter((o) => o.status !== "SUCCEEDED")).toEqual([]);
  });

  it("massFallback ask: an scp-overflow finding names the leavers not denied; DeniesDropped fires", async () => {
    // Act
    const { executor, placed } = await estateDenyWrite("ask");

    // Assess
    const overflow = executor.denyFindings.find((f) => f.kind === "scp-overflow");
    const named = new Set(overflow?.subject.userIds?.split(","));
    for (const d of layoff) expect(placed.has(d.userId) || named.has(d.userId)).toBe(true);
    expect(named.size).toBeGreaterThan(0);
    expect(estateRunSignals(executor.denyFindings)).toEqual(["DeniesDropped"]);
  });
});
