import type { DenyLedger } from "../../adapters/deny-ledger.ts";
import type { EvidenceStore, StoredEvidence } from "../../adapters/evidence-store.ts";
import type { IdentityCenterAdapter } from "../../adapters/identity-center.ts";
import type { IdentityLinks } from "../../adapters/identity-links.ts";
import type { IdentityStorePrincipals } from "../../adapters/identity-store-principals.ts";
import type { OktaAdapter } from "../../adapters/okta.ts";
import type { OrganizationsAdapter } from "../../adapters/organizations.ts";
import type { ActionOutcome, EvidenceDraft, SnapshotRow, Trigger } from "../../core/evidence/record.ts";
import type { AbacCanaryProver } from "../../core/plan/abac-canary.ts";
import { applyPlan } from "../../core/plan/apply-plan.ts";
import { type EstateScope, narrowPlanToScope, scopeAccountIds } from "../../core/plan/estate-scope.ts";
import { overridesGuards } from "../../core/plan/guard-override.ts";
import type { Finding, Plan, PlanAction } from "../../core/plan/plan.ts";
import { type PlanInput, planEstate } from "../../core/plan/plan-estate.ts";
import type { Policy } from "../../core/policy/schema.ts";
import type { EnforceDeniesDeps } from "../reconcile-user/enforce-denies.ts";
import { confirmOrphans } from "./confirm-orphans.ts";
import { permissionSetContentEvidence } from "./permission-set-content-evidence.ts";
import { permissionSetDeletionFindings } from "./permission-set-deletion-findings.ts";
import { PlanExecutor } from "./plan-executor.ts";
import { proveAbacCanary } from "./prove-abac-canary.ts";
import { readPermissionSetOwnership } from "./read-permission-set-ownership.ts";
import type { PermissionSetContentRun } from "./reconcile-permission-set-content.ts";
import { recordIdentityLinks } from "./record-identity-links.ts";
import type { ThrottleBudget } from "./throttle-budget.ts";

export interface EstateReconcileDeps {
  policy: Policy;
  okta: Pick<OktaAdapter, "readTruth">;
  /** `readOrganizationAround` serves scoped runs; absent, they read the whole organization. */
  organizations: Pick<OrganizationsAdapter, "readOrganization"> &
    Partial<Pick<OrganizationsAdapter, "readOrganizationAround">>;
  identityCenter: IdentityCenterAdapter;
  ledger: DenyLedger;
  /**
   * The pipeline's identity links: a run that applies records every user it matches (new or changed
   * links only). Absent: none recorded.
   */
  links?: Pick<IdentityLinks, "list" | "putMany">;
  /**
   * Confirms an assignment's principal is gone before it counts as orphaned (confirm-orphans.ts).
   * Absent: nothing is confirmed, so no orphan is deleted.
   */
  principals?: Pick<IdentityStorePrincipals, "exists">;
  /** Principals checked per run. @default DEFAULT_PRINCIPAL_CHECK_BUDGET */
  principalCheckBudget?: number;
  /**
   * Runs the ABAC canary proof (core/plan/abac-canary.ts) with the IAM policy simulator. Absent (the
   * deployed functions, which do not bundle it): a policy with ABAC-scoped sets gets a finding.
   */
  abacCanary?: AbacCanaryProver;
  enforce: EnforceDeniesDeps;
  budget: ThrottleBudget;
  evidence?: EvidenceStore;
  pollMs?: number;
  now: () => string;
  runId: string;
}

/**
 * The Okta groups the policy's rules name: names, and ids read by id (a name may be shared by an
 * `APP_GROUP` and an `OKTA_GROUP`; an id never is).
 */
function policyGroupRefs(deps: EstateReconcileDeps): { names: string[]; ids: string[] } {
  const ids = deps.policy.rules.flatMap((r) =>
    typeof r.group !== "string" && "id" in r.group ? [r.group.id] : [],
  );
  const names = deps.policy.rules.flatMap((r) =>
    typeof r.group === "string" ? [r.group] : "name" in r.group ? [r.group.name] : [],
  );
  return { names: [...new Set(names)].sort(), ids: [...new Set(ids)].sort() };
}

/** The organization a run judges: all of it, or (a scoped run) the scope's accounts in its structure. */
async function readOrganizationFor(deps: EstateReconcileDeps, scope: EstateScope | undefined) {
  if (scope === undefined) {
    // Account tags matter only to tag-targeted rules: without one, a full read saves one
    // ListTagsForResource per account (1,000 Organizations calls a day at 1,000 accounts).
    const tagTargets = deps.policy.rules.some((r) => r.targets.tags !== undefined);
    return deps.organizations.readOrganization(tagTargets ? {} : { tagsOf: [] });
  }
  const accountIds = scopeAccountIds(scope);
  if (deps.organizations.readOrganizationAround) return deps.organizations.readOrganizationAround(accountIds);
  const organization = await deps.organizations.readOrganization();
  return { ...organization, accounts: organization.accounts.filter((a) => accountIds.includes(a.id)) };
}

/**
 * Reads the estate's truth with the fewest calls: the organization, Okta's users and the policy's
 * groups with their members, and Identity Center's provisioned (account, permission set) pairs only.
 * A full run also reads every permission set's tags (readPermissionSetOwnership). A scoped run
 * (core/plan/estate-scope.ts) reads the organization's structure and its accounts' tags, and only its
 * pairs' assignments; Okta and the identity store are read whole, as the planner judges a pair's
 * principals against them.
 */
export async function readEstate(deps: EstateReconcileDeps, scope?: EstateScope): Promise<PlanInput> {
  const organization = await readOrganizationFor(deps, scope);
  const oktaReadAt = deps.now();
  const refs = policyGroupRefs(deps);
  const inScope = scope
    ? (accountId: string, permissionSetArn: string) =>
        scope.pairs.some((p) => p.accountId === accountId && p.permissionSetArn === permissionSetArn)
    : undefined;
  const [okta, identityCenter, ledger] = await Promise.all([
    deps.okta.readTruth(refs.names, refs.ids),
    deps.identityCenter.readState(
      organization.accounts.filter((a) => a.status === "ACTIVE").map((a) => a.id),
      inScope ? { pairs: inScope } : {},
    ),
    deps.ledger.list(),
  ]);
  const principalCheck = await confirmOrphans(deps.principals, identityCenter, deps.principalCheckBudget);
  // Permission sets the tool created and the policy dropped (issue 18): a full run only. A scoped run
  // reads a few pairs after one edit; reading every set's tags would cost it one call per set, and the
  // next full run deletes what it would have.
  const permissionSetOwnership = scope
    ? undefined
    : await readPermissionSetOwnership(deps.identityCenter, deps.policy, identityCenter.permissionSets);
  const input: PlanInput = {
    policy: deps.policy,
    okta,
    organization,
    identityCenter: { ...identityCenter, denies: ledger.map((l) => l.deny), principalCheck },
    now: deps.now(),
    oktaReadAt,
    // A delegated administrator reaches the management account only through the management
    // component (kind "component"), and may not provision there itself: a permission set provisioned
    // there is never re-provisioned to all its accounts from here (plan-revocation-placement.ts).
    managesManagementAccount: (deps.enforce.managementAccess?.kind ?? "direct") === "direct",
    ...(permissionSetOwnership ? { permissionSetOwnership } : {}),
  };
  return deps.abacCanary ? { ...input, abacCanary: await proveAbacCanary(deps.abacCanary, input) } : input;
}

/** The plan of a whole-estate read, or of a scoped read narrowed to its scope. */
export function planEstateFor(input: PlanInput, scope: EstateScope | undefined) {
  const plan = planEstate(input);
  return scope ? narrowPlanToScope(plan, scope, input.policy.guards.maxDeletes) : plan;
}

export interface EstateRunResult {
  input: PlanInput;
  plan: Plan;
  outcomes: ActionOutcome[];
  applied: boolean;
  evidence: StoredEvidence[];
  /** Milliseconds spent reading and planning, applying, and writing evidence. */
  timings: { readMs: number; applyMs: number; evidenceMs: number };
}

/**
 * Every (user, group, permission set, account) an Identity Center state grants: the access-review
 * rows, generated in a deterministic order (accounts, permission sets, then users) without holding
 * them all in memory.
 */
export function* snapshotRows(state: PlanInput["identityCenter"]): Generator<SnapshotRow> {
  const users = new Map(state.users.map((u) => [u.userId, u.userName]));
  const groups = new Map(state.groups.map((g) => [g.groupId, g.displayName]));
  const sets = new Map(state.permissionSets.map((p) => [p.arn, p.name]));
  const members = new Map<string, string[]>();
  for (const m of state.memberships) members.set(m.groupId, [...(members.get(m.groupId) ?? []), m.userId]);
  const byUserName = (a: string, b: string) => (users.get(a) ?? a).localeCompare(users.get(b) ?? b);
  const ordered = [...state.assignments].sort((x, y) =>
    `${x.accountId}|${sets.get(x.permissionSetArn)}|${x.principalId}`.localeCompare(
      `${y.accountId}|${sets.get(y.permissionSetArn)}|${y.principalId}`,
    ),
  );
  for (const a of ordered) {
    const permissionSetName = sets.get(a.permissionSetArn) ?? a.permissionSetArn;
    const userIds =
      a.principalType === "USER" ? [a.principalId] : [...(members.get(a.principalId) ?? [])].sort(byUserName);
    const groupName =
      a.principalType === "USER" ? "(direct assignment)" : (groups.get(a.principalId) ?? a.principalId);
    for (const userId of userIds) {
      yield {
        userId,
        userName: users.get(userId) ?? userId,
        groupName,
        permissionSetName,
        accountId: a.accountId,
      };
    }
  }
}

/**
 * One estate reconcile: read, plan with core/plan, check the guards, apply (unless `apply` is false or
 * the plan is blocked: a blocked plan applies nothing and becomes a finding), and write an evidence
 * record for the run plus an access snapshot.
 */
export async function reconcileEstate(
  deps: EstateReconcileDeps,
  options: {
    apply: boolean;
    trigger: Trigger;
    /** Judge only this scope (core/plan/estate-scope.ts). @default the whole estate */
    scope?: EstateScope;
    allowDeletes?: number;
    /** Apply a plan blocked by grant guards if it creates at most this many assignments. */
    allowGrants?: number;
    onProgress?: (done: number, total: number, action: PlanAction) => void;
  },
): Promise<EstateRunResult> {
  const runStarted = deps.now();
  const t0 = performance.now();
  const input = await readEstate(deps, options.scope);
  if (options.apply && deps.links) await recordIdentityLinks(deps.links, input);
  const plan = planEstateFor(input, options.scope);
  const overridden = overridesGuards(plan, {
    ...(options.allowDeletes === undefined ? {} : { allowDeletes: options.allowDeletes }),
    ...(options.allowGrants === undefined ? {} : { allowGrants: options.allowGrants }),
  });
  const apply = options.apply && (plan.status === "ready" || overridden);
  const t1 = performance.now();
  const executor = apply
    ? new PlanExecutor({
        identityCenter: deps.identityCenter,
        ledger: deps.ledger,
        enforce: deps.enforce,
        budget: deps.budget,
        ...(deps.pollMs === undefined ? {} : { pollMs: deps.pollMs }),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        now: deps.now,
      })
    : undefined;
  const outcomes = executor ? await executor.execute(plan.actions) : [];
  const t2 = performance.now();
  const evidence =
    deps.evidence && options.apply
      ? await writeEstateEvidenceRecords(deps, {
          input,
          plan,
          outcomes,
          applied: apply,
          trigger: options.trigger,
          runStarted,
          snapshot: options.scope === undefined,
          denyFindings: executor?.denyFindings ?? [],
        })
      : [];
  const timings = { readMs: t1 - t0, applyMs: t2 - t1, evidenceMs: performance.now() - t2 };
  return { input, plan, outcomes, applied: apply, evidence, timings };
}

/** Above this many rows a snapshot is written as its own gzipped JSON Lines object. */
export const INLINE_SNAPSHOT_ROWS = 5_000;

/** `v1/snapshots/YYYY/MM/DD/<HHMMSSmmm>-<run id>.jsonl.gz`, next to its chained record. */
export const snapshotObjectKey = (runId: string, createdAt: string) => {
  const [date = "", time = ""] = createdAt.split("T");
  return `v1/snapshots/${date.replaceAll("-", "/")}/${time.replace(/[:.Z]/g, "")}-${runId}.jsonl.gz`;
};

/**
 * The estate run's evidence: one record of the run (trigger, truth summary, plan, per-action
 * outcomes, why a blocked plan was not applied) and the access snapshot after it (the state read,
 * plus the actions that succeeded).
 */
export async function writeEstateEvidenceRecords(
  deps: Pick<EstateReconcileDeps, "evidence" | "now" | "runId">,
  run: {
    input: PlanInput;
    plan: Plan;
    outcomes: ActionOutcome[];
    applied: boolean;
    trigger: Trigger;
    /** The triggers of the runs folded into this one (core/dispatch/estate-window.ts). @default [] */
    coalescedTriggers?: Trigger[];
    runStarted: string;
    /**
     * Whether to write the access snapshot. A scoped run read a few pairs, not the estate: its
     * snapshot would pass for the whole estate's access. @default true
     */
    snapshot?: boolean;
    /** What the run's Deny write found (PlanExecutor.denyFindings): recorded with the plan's findings. */
    denyFindings?: readonly Finding[];
    /**
     * The permission-set content step run before the plan (reconcile-permission-set-content.ts): its
     * writes lead the plan's actions and outcomes, its drift findings (with their diffs) the findings,
     * and its read-back is the record's verification.
     */
    permissionSetContent?: PermissionSetContentRun;
    /**
     * Customer managed policies missing in, or not checkable in, the accounts declared sets reach
     * (check-customer-managed-policies.ts): recorded after the content step's findings.
     */
    customerManagedPolicyFindings?: readonly Finding[];
  },
): Promise<StoredEvidence[]> {
  if (!deps.evidence) return [];
  const { input, plan, outcomes } = run;
  const succeeded = plan.actions.filter((_, i) => outcomes[i]?.status === "SUCCEEDED");
  const after = applyPlan(input.identityCenter, run.applied ? succeeded : []);
  const blockedReason =
    plan.status === "blocked" && !run.applied ? plan.violations.map((v) => v.message).join(" ") : null;
  const content = run.permissionSetContent
    ? permissionSetContentEvidence(run.permissionSetContent)
    : undefined;
  const record: EvidenceDraft = {
    schemaVersion: 1,
    recordId: `${deps.runId}.estate`,
    runId: deps.runId,
    kind: "estate-run",
    createdAt: deps.now(),
    body: {
      trigger: run.trigger,
      ...(run.coalescedTriggers?.length ? { coalescedTriggers: run.coalescedTriggers } : {}),
      truth: {
        okta: { groups: input.okta.groups.map((g) => g.name), users: input.okta.users.length },
        identityCenter: {
          assignments: input.identityCenter.assignments.length,
          memberships: input.identityCenter.memberships.length,
          users: input.identityCenter.users.length,
        },
        organization: { accounts: input.organization.accounts.length },
      },
      plan: {
        actions: [...(content?.actions ?? []), ...plan.actions],
        findings: [
          ...(content?.findings ?? []),
          ...(run.customerManagedPolicyFindings ?? []),
          ...plan.findings,
          ...(run.denyFindings ?? []),
          ...permissionSetDeletionFindings(outcomes),
        ].map((f) => ({ ...f })),
        blockedReason,
      },
      actions: [...(content?.outcomes ?? []), ...outcomes],
      verification: content?.verification ?? null,
      timings: { runStarted: run.runStarted, runFinished: deps.now() },
    },
  };
  if (run.snapshot === false) return [await deps.evidence.append(record, record.recordId)];
  // Small snapshots stay inline; large ones go to their own object, which the record vouches for.
  const createdAt = deps.now();
  const inline: SnapshotRow[] = [];
  for (const row of snapshotRows(after)) {
    if (inline.push(row) > INLINE_SNAPSHOT_ROWS) break;
  }
  const body =
    inline.length <= INLINE_SNAPSHOT_ROWS
      ? { rows: inline }
      : {
          object: await deps.evidence.putSnapshotObject(
            snapshotObjectKey(deps.runId, createdAt),
            snapshotRows(after),
          ),
        };
  const snapshot: EvidenceDraft = {
    schemaVersion: 1,
    recordId: `${deps.runId}.snapshot`,
    runId: deps.runId,
    kind: "snapshot",
    createdAt,
    body,
  };
  return [
    await deps.evidence.append(record, record.recordId),
    await deps.evidence.append(snapshot, snapshot.recordId),
  ];
}
