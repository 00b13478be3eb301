import type { StoredEvidence } from "../../adapters/evidence-store.ts";
import type { PermissionSetContentAdapter } from "../../adapters/identity-center/permission-set-content.ts";
import type { WorkStore } from "../../adapters/work-store.ts";
import type { ActionOutcome } from "../../core/evidence/record.ts";
import { checkEstatePlanScope, PlanOutsidePolicyError } from "../../core/plan/check-plan-scope.ts";
import { type EstateScope, scopeOfTriggers } from "../../core/plan/estate-scope.ts";
import type { Finding, PlanAction } from "../../core/plan/plan.ts";
import type { PlanInput, planEstate } from "../../core/plan/plan-estate.ts";
import type { Policy } from "../../core/policy/schema.ts";
import type { EstateReconcileTask } from "../../workflows/estate-reconcile.ts";
import { ESTATE_MAP_CONCURRENCY } from "../../workflows/estate-reconcile.ts";
import { retryableTasks } from "../shared/dependency-unavailable.ts";
import {
  type CustomerManagedPolicyCheck,
  type CustomerManagedPolicyLookup,
  checkCustomerManagedPolicies,
} from "./check-customer-managed-policies.ts";
import { type CoalesceEstateRunDeps, coalesceEstateRun } from "./coalesce-estate-run.ts";
import { type CredentialSweepPorts, sweepEstateCredentialsTask } from "./credential-sweep-task.ts";
import { type EstateRunSignal, estateRunSignals } from "./estate-run-signals.ts";
import { PlanExecutor } from "./plan-executor.ts";
import {
  type EstateReconcileDeps,
  planEstateFor,
  readEstate,
  writeEstateEvidenceRecords,
} from "./reconcile-estate.ts";
import {
  type PermissionSetContentRun,
  reconcilePermissionSetContent,
} from "./reconcile-permission-set-content.ts";
import { recordIdentityLinks } from "./record-identity-links.ts";
import { type EstateRunInput, parseEstateRunInput } from "./run-input.ts";
import { ThrottleBudget } from "./throttle-budget.ts";

/** Actions per Map iteration. */
export const BATCH_SIZE = 50;

interface StoredPlan {
  input: PlanInput;
  /** The permission-set content step run before the read (absent without its adapter). */
  permissionSetContent?: PermissionSetContentRun;
  plan: ReturnType<typeof planEstate>;
  /** The customer managed policy check after the plan (absent without its lookup). */
  customerManagedPolicies?: CustomerManagedPolicyCheck;
  runStarted: string;
  /** A scoped run's scope (core/plan/estate-scope.ts); absent for a whole-estate run. */
  scope?: EstateScope;
}

export interface EstateRunState extends EstateRunInput {
  plan?: {
    planKey: string;
    status: "ready" | "blocked";
    hasActions: boolean;
    deleteBatches: number[];
    createBatches: number[];
  };
}

/** Deletions, run in the delete batches (a permission set's after assignments, by the plan's order). */
const DELETES = new Set<PlanAction["kind"]>([
  "assignment.delete",
  "membership.remove",
  "permission-set.delete",
]);
const CREATES = new Set<PlanAction["kind"]>(["assignment.create", "membership.add"]);
const batches = (n: number) => Array.from({ length: Math.ceil(n / BATCH_SIZE) }, (_, i) => i);
const outcomesKey = (planKey: string, name: string) =>
  planKey.replace(/plan\.json$/, `outcomes-${name}.json`);

/**
 * The estate-reconcile Task handlers, bound to their dependencies. Each batch executor gets its share
 * of the budget: the Map runs ESTATE_MAP_CONCURRENCY batches at once, each with one operation in
 * flight and 1/ESTATE_MAP_CONCURRENCY of the call rate.
 */
export function estateReconcileTasks(
  deps: Omit<EstateReconcileDeps, "runId" | "budget" | "policy"> & {
    /**
     * Reads the access policy. Called at the start of every run, so a run started by a policy change
     * plans with the new version even in a warm function.
     */
    policy: () => Promise<Policy>;
    work: WorkStore;
    callsPerSecond: number;
    batchBudget: (b: ThrottleBudget) => EstateReconcileDeps["identityCenter"];
    /** The coalescing windows of event-driven runs, and their length (core/dispatch/estate-window.ts). */
    coalescing: CoalesceEstateRunDeps;
    /** Emits an alarmed count metric (estate-run-signals.ts) when the run's evidence is written. */
    signal?: (signal: EstateRunSignal, runId: string) => void;
    /** The credential sweep's ports (credential-sweep-task.ts). Absent: the SweepCredentials step does nothing. */
    credentials?: CredentialSweepPorts;
    /**
     * Reads and writes permission-set content (adapters/identity-center/permission-set-content.ts). Absent:
     * the run judges no declared content (the CLI's `reconcile` still does).
     */
    permissionSetContent?: Pick<PermissionSetContentAdapter, "read" | "create" | "apply">;
    /**
     * Asks member accounts' IAM for the customer managed policies declared sets reference
     * (adapters/iam/customer-managed-policy-lookup.ts). Absent: not checked.
     */
    customerManagedPolicies?: CustomerManagedPolicyLookup;
  },
): Record<EstateReconcileTask, (state: unknown) => Promise<unknown>> {
  const load = (key: string) => deps.work.get<StoredPlan>(key);
  const executor = (budget: ThrottleBudget) =>
    new PlanExecutor({
      identityCenter: deps.batchBudget(budget),
      ledger: deps.ledger,
      enforce: deps.enforce,
      budget,
      ...(deps.pollMs === undefined ? {} : { pollMs: deps.pollMs }),
      now: deps.now,
    });
  return retryableTasks("estate-reconcile", {
    coalesceEstateRun: coalesceEstateRun(deps.coalescing),
    planEstateRun: async (raw: unknown) => {
      const state = parseEstateRunInput(raw);
      const runStarted = deps.now();
      // The window's run reads after every folded trigger: it judges their scopes too, and the whole
      // estate as soon as one of them asks for it.
      const folded = await deps.coalescing.windows.folded(state.runId);
      const scope = scopeOfTriggers([state.trigger, ...folded]);
      const policy = await deps.policy();
      // Declared content first (docs/policy.md, "Permission sets as code"): a set the policy adds exists
      // before its rules are planned, and a scoped run started by a set's edit repairs that set.
      const contentAdapter = deps.permissionSetContent;
      const permissionSetContent = contentAdapter
        ? await reconcilePermissionSetContent(
            policy,
            {
              listPermissionSets: () => deps.identityCenter.listPermissionSets(),
              read: (arn) => contentAdapter.read(arn),
              create: (attributes) => contentAdapter.create(attributes),
              apply: (arn, repair) => contentAdapter.apply(arn, repair),
              provisionPermissionSetEverywhere: (arn) =>
                deps.identityCenter.provisionPermissionSetEverywhere(arn),
              provisioningStatus: (requestId) => deps.identityCenter.provisioningStatus(requestId),
            },
            {
              ...(scope ? { onlyArns: scope.permissionSetArns } : {}),
              ...(deps.pollMs === undefined ? {} : { pollMs: deps.pollMs }),
              now: deps.now,
            },
          )
        : undefined;
      const input = await readEstate(
        {
          ...deps,
          policy,
          runId: state.runId,
          budget: new ThrottleBudget({ callsPerSecond: deps.callsPerSecond }),
        },
        scope,
      );
      if (deps.links) await recordIdentityLinks(deps.links, input);
      const plan = planEstateFor(input, scope);
      // A second reading of the policy: grants outside it fail the step before any batch applies.
      const violations = checkEstatePlanScope(plan.actions, input);
      if (violations.length > 0) throw new PlanOutsidePolicyError(state.runId, violations);
      // Every account a declared set reaches must hold the customer managed policies it references:
      // the provisioned pairs and the ones the plan assigns (a scoped run: its own pairs and sets).
      const customerManagedPolicies = deps.customerManagedPolicies
        ? await checkCustomerManagedPolicies(
            {
              lookup: deps.customerManagedPolicies,
              accountsProvisionedWith: (arn) => deps.identityCenter.listAccountsProvisionedWith(arn),
              runId: state.runId,
            },
            {
              policy,
              organization: input.organization,
              identityCenter: input.identityCenter,
              plannedAssignments: plan.actions.flatMap((a) =>
                a.kind === "assignment.create" ? [a.assignment] : [],
              ),
              ...(scope ? { scope } : {}),
            },
          )
        : undefined;
      const planKey = `work/estate/${state.runId}/plan.json`;
      await deps.work.put(planKey, {
        input,
        plan,
        ...(permissionSetContent ? { permissionSetContent } : {}),
        ...(customerManagedPolicies ? { customerManagedPolicies } : {}),
        runStarted,
        ...(scope ? { scope } : {}),
      } satisfies StoredPlan);
      return {
        planKey,
        status: plan.status,
        hasActions: plan.actions.length > 0,
        deleteBatches: batches(plan.actions.filter((a) => DELETES.has(a.kind)).length),
        createBatches: batches(plan.actions.filter((a) => CREATES.has(a.kind)).length),
      };
    },
    applyEstateDenies: async (raw) => {
      const state = raw as EstateRunState;
      const planKey = String(state.plan?.planKey);
      const { plan } = await load(planKey);
      const first = plan.actions.filter((a) => !DELETES.has(a.kind) && !CREATES.has(a.kind));
      const denies = executor(new ThrottleBudget({ callsPerSecond: deps.callsPerSecond }));
      const outcomes = await denies.execute(first);
      await deps.work.put(outcomesKey(planKey, "denies"), outcomes);
      await deps.work.put(outcomesKey(planKey, "deny-findings"), denies.denyFindings);
      return { applied: outcomes.length };
    },
    applyEstateBatch: async (raw) => {
      const { planKey, batch, phase } = raw as { planKey: string; batch: number; phase: "delete" | "create" };
      const stored = await load(planKey);
      const actions = stored.plan.actions
        .filter((a) => (phase === "delete" ? DELETES : CREATES).has(a.kind))
        .slice(batch * BATCH_SIZE, (batch + 1) * BATCH_SIZE);
      const budget = new ThrottleBudget({
        callsPerSecond: deps.callsPerSecond / ESTATE_MAP_CONCURRENCY,
        maxOutstandingOperations: 1,
      });
      const outcomes = await executor(budget).execute(actions);
      await deps.work.put(outcomesKey(planKey, `${phase}-${batch}`), outcomes);
      return {
        phase,
        batch,
        applied: outcomes.length,
        failed: outcomes.filter((o) => o.status === "FAILED").length,
      };
    },
    writeEstateEvidence: async (raw): Promise<StoredEvidence[]> => {
      const state = raw as EstateRunState;
      const planKey = String(state.plan?.planKey);
      const stored = await load(planKey);
      const read = (name: string) =>
        deps.work.get<ActionOutcome[]>(outcomesKey(planKey, name)).catch(() => [] as ActionOutcome[]);
      const outcomes = [
        ...(await read("denies")),
        ...(await Promise.all((state.plan?.deleteBatches ?? []).map((b) => read(`delete-${b}`)))).flat(),
        ...(await Promise.all((state.plan?.createBatches ?? []).map((b) => read(`create-${b}`)))).flat(),
      ];
      const denyFindings = await deps.work
        .get<Finding[]>(outcomesKey(planKey, "deny-findings"))
        .catch(() => [] as Finding[]);
      const evidence = await writeEstateEvidenceRecords(
        { ...deps, runId: state.runId },
        {
          input: stored.input,
          plan: stored.plan,
          outcomes,
          applied: stored.plan.status === "ready",
          trigger: state.trigger,
          coalescedTriggers: await deps.coalescing.windows.folded(state.runId),
          runStarted: stored.runStarted,
          snapshot: stored.scope === undefined,
          denyFindings,
          ...(stored.permissionSetContent ? { permissionSetContent: stored.permissionSetContent } : {}),
          ...(stored.customerManagedPolicies
            ? { customerManagedPolicyFindings: stored.customerManagedPolicies.findings }
            : {}),
        },
      );
      for (const signal of estateRunSignals(denyFindings)) deps.signal?.(signal, state.runId);
      return evidence;
    },
    sweepCredentials: sweepEstateCredentialsTask(deps),
  });
}
