import { describe, expect, it } from "vitest";
import type { AssignmentDeletion } from "../../../core/plan/plan-user-run.ts";
import {
  type CompactPlan,
  DELETION_BATCH_SIZE,
  hydrate,
  INLINE_LIMIT_BYTES,
  loadAssignmentDeletions,
  offloadPlan,
  offloadTruth,
  offloadVerification,
  type RunScratch,
  recordAssignmentDeletions,
  withTruthHead,
} from "../../../usecases/reconcile-user/run-scratch.ts";
import type { UserRunState } from "../../../usecases/reconcile-user/run-state.ts";

/** Scratch space in memory, with the size of what it holds. */
function memoryScratch(): RunScratch & { keys: () => string[] } {
  const objects = new Map<string, string>();
  return {
    put: async (key, value) => void objects.set(key, JSON.stringify(value)),
    get: async <T>(key: string) => JSON.parse(String(objects.get(key))) as T,
    keys: () => [...objects.keys()].sort(),
  };
}

const deletion = (i: number): AssignmentDeletion => ({
  InstanceArn: "arn:aws:sso:::instance/ssoins-1234567890abcdef",
  TargetId: String(300_000_000_000 + i),
  TargetType: "AWS_ACCOUNT",
  PermissionSetArn: "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef",
  PrincipalType: "USER",
  PrincipalId: "ic-jane",
});

const plan = (deletions: number) =>
  ({
    decision: "revoke",
    reason: "leaver",
    denies: [],
    lifts: [],
    assignmentDeletions: Array.from({ length: deletions }, (_, i) => deletion(i)),
    membershipRemovals: [],
    membershipAdditions: [],
    findings: [],
    sessionTags: {},
    accountsAffected: Array.from({ length: deletions }, (_, i) => String(300_000_000_000 + i)),
    holdSeconds: 60,
    actions: [],
    runId: "run-1",
    startedAt: "2026-06-01T12:00:00.000Z",
  }) satisfies NonNullable<UserRunState["plan"]>;

describe("a user run's scratch space", () => {
  it("keeps the state small for 2,500 deletions and gives every task the full state back", async () => {
    // Prepare
    const scratch = memoryScratch();
    const full = plan(2_500);
    const bigTruth = {
      okta: {
        found: true,
        login: "jane@example.com",
        groups: Array.from({ length: 2_000 }, (_, i) => ({ id: `g${i}`, name: `group ${i}` })),
      },
      identityCenter: { userId: "ic-jane" },
    } as never;

    // Act: the workflow's view of the run
    const compact = (await offloadPlan(scratch, full)) as CompactPlan;
    const offloadedTruth = await offloadTruth(scratch, "run-1", bigTruth);
    const summaries = [];
    for (const batch of compact.deletionBatches) {
      const { items } = await loadAssignmentDeletions(scratch)({ planKey: compact.scratchKey, batch });
      const outcomes = items.map((d) => ({ status: "SUCCEEDED" as const, accountId: d.TargetId }));
      summaries.push(await recordAssignmentDeletions(scratch)({ runId: "run-1", batch, outcomes }));
    }
    const state = { runId: "run-1", truth: offloadedTruth, plan: compact, deletions: summaries.reverse() };
    const hydrated = await hydrate(scratch, state as unknown as UserRunState);

    // Assess
    expect(compact.deletionBatches).toHaveLength(Math.ceil(2_500 / DELETION_BATCH_SIZE));
    expect(compact).not.toHaveProperty("assignmentDeletions");
    expect(compact.assignmentDeletionCount).toBe(2_500);
    expect(JSON.stringify(state).length).toBeLessThan(8_000);
    expect(hydrated.plan).toEqual(full);
    expect(offloadedTruth).toEqual({
      scratchKey: "work/user/run-1/truth.json",
      okta: { found: true, login: "jane@example.com" },
    });
    expect(hydrated.truth).toEqual(bigTruth);
    expect(hydrated.deletions?.map((o) => o.accountId)).toEqual(
      full.assignmentDeletions.map((d) => d.TargetId),
    );
    expect(scratch.keys()).toContain("work/user/run-1/deletions-24.json");
  });

  it("keeps a small truth, plan and read-back in the state: no scratch request, and every task still gets them", async () => {
    // Prepare
    const scratch = memoryScratch();
    const small = plan(0);
    const truth = { okta: { found: true }, identityCenter: { userId: "ic-jane" } } as never;
    const verification = { passed: true, verifiedAt: "2026-06-01T12:00:05.000Z", details: [] };

    // Act
    const state = {
      runId: "run-3",
      truth: await offloadTruth(scratch, "run-3", truth),
      plan: await offloadPlan(scratch, small),
      verification: await offloadVerification(scratch, "run-3", verification),
    } as unknown as UserRunState;
    const hydrated = await hydrate(scratch, state);

    // Assess
    expect(scratch.keys()).toEqual([]);
    expect((state.plan as unknown as CompactPlan).deletionBatches).toEqual([]);
    expect(hydrated.truth).toEqual(truth);
    expect(hydrated.plan).toMatchObject(small);
    expect(hydrated.verification).toEqual(verification);
  });

  it("offloads a plan with assignment deletions however small: the deletion batches load it from scratch", async () => {
    const scratch = memoryScratch();
    const compact = (await offloadPlan(scratch, plan(1))) as CompactPlan;
    expect(compact.scratchKey).toBe("work/user/run-1/plan.json");
    expect(scratch.keys()).toEqual(["work/user/run-1/plan.json"]);
  });

  it("offloads a read-back larger than the inline limit, keeping its verdict in the state", async () => {
    const scratch = memoryScratch();
    const details = Array.from({ length: 400 }, (_, i) => ({
      check: `account ${i} has no assignment left`,
      passed: true,
    }));
    const verification = { passed: true, verifiedAt: "2026-06-01T12:00:05.000Z", details };
    const offloaded = await offloadVerification(scratch, "run-4", verification as never);
    expect(JSON.stringify(verification).length).toBeGreaterThan(INLINE_LIMIT_BYTES);
    expect(offloaded).toEqual({
      passed: true,
      verifiedAt: verification.verifiedAt,
      scratchKey: "work/user/run-4/verification.json",
    });
  });

  it("leaves a state that carries everything inline as it is", async () => {
    const state = {
      runId: "run-2",
      plan: plan(3),
      deletions: [{ status: "FAILED" }],
    } as unknown as UserRunState;
    expect(await hydrate(memoryScratch(), state)).toEqual(state);
  });

  it("gives a task that reads only the Okta facts the truth's stand-in: no read of the whole truth", async () => {
    // Prepare: a truth too large for the state, and a stand-in from before it carried the Okta facts
    const scratch = memoryScratch();
    const reads: string[] = [];
    const counting: RunScratch = {
      put: scratch.put,
      get: (key) => {
        reads.push(key);
        return scratch.get(key);
      },
    };
    const bigTruth = {
      okta: { found: false, login: null, groups: Array.from({ length: 2_000 }, (_, i) => ({ id: `g${i}` })) },
    } as never;
    const standIn = await offloadTruth(counting, "run-5", bigTruth);
    const older = {
      runId: "run-5",
      truth: { scratchKey: "work/user/run-5/truth.json" },
    } as unknown as UserRunState;

    // Act
    const head = await withTruthHead(counting, { runId: "run-5", truth: standIn } as unknown as UserRunState);
    const readsForHead = reads.length;
    const olderHead = await withTruthHead(counting, older);

    // Assess
    expect(head.truth?.okta).toEqual({ found: false, login: null });
    expect(readsForHead).toBe(0);
    expect(olderHead.truth?.okta.found).toBe(false);
    expect(reads).toEqual(["work/user/run-5/truth.json"]);
  });
});
