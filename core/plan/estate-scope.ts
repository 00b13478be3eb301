import type { Trigger } from "../evidence/record.ts";
import { countDeletes, type GuardViolation, type Plan, type PlanAction } from "./plan.ts";

/**
 * What a scoped estate run judges (issue 17, "an estate that costs what changed"): the (account,
 * permission set) pairs an assignment change named, and the permission sets an edit named. A run
 * started by anything else (the schedule, a policy change, an account or Okta group event) judges the
 * whole estate. Events are hints: a scoped run re-reads the truth of its scope, never applies the event.
 */
export interface EstateScope {
  /** Pairs whose assignments are read and judged, sorted, unique. */
  pairs: { accountId: string; permissionSetArn: string }[];
  /** Permission sets judged alone (their own definition: issue 18's planning), sorted, unique. */
  permissionSetArns: string[];
}

/**
 * The scope of a run started by `triggers` (its own and the ones folded into it,
 * core/dispatch/estate-window.ts), or `undefined` when one of them asks for the whole estate.
 */
export function scopeOfTriggers(triggers: readonly Trigger[]): EstateScope | undefined {
  const pairs = new Map<string, EstateScope["pairs"][number]>();
  const sets = new Set<string>();
  for (const trigger of triggers) {
    if (trigger.type !== "identity-center-event") return undefined;
    if (trigger.accountId === undefined) sets.add(trigger.permissionSetArn);
    else {
      const pair = { accountId: trigger.accountId, permissionSetArn: trigger.permissionSetArn };
      pairs.set(`${pair.accountId}|${pair.permissionSetArn}`, pair);
    }
  }
  if (pairs.size === 0 && sets.size === 0) return undefined;
  return {
    pairs: [...pairs.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, pair]) => pair),
    permissionSetArns: [...sets].sort(),
  };
}

/** The accounts a scope reads. */
export const scopeAccountIds = (scope: EstateScope): string[] =>
  [...new Set(scope.pairs.map((p) => p.accountId))].sort();

/**
 * Whether an action is the scope's: an assignment change of a scoped pair, or a change to a scoped
 * permission set itself. Denies and memberships belong to user runs and the full read.
 */
export function actionInScope(action: PlanAction, scope: EstateScope): boolean {
  if (action.kind === "assignment.create" || action.kind === "assignment.delete") {
    const { accountId, permissionSetArn } = action.assignment;
    return scope.pairs.some((p) => p.accountId === accountId && p.permissionSetArn === permissionSetArn);
  }
  if (action.kind.startsWith("deny.") || action.kind.startsWith("membership.")) return false;
  const permissionSetArn = (action as { permissionSetArn?: unknown }).permissionSetArn;
  return typeof permissionSetArn === "string" && scope.permissionSetArns.includes(permissionSetArn);
}

/** Whether a finding is about the scope (or about no account or permission set in particular). */
function findingInScope(subject: Record<string, string>, scope: EstateScope): boolean {
  const { accountId, permissionSetArn } = subject;
  if (accountId !== undefined && !scopeAccountIds(scope).includes(accountId)) return false;
  if (permissionSetArn === undefined) return true;
  return (
    scope.permissionSetArns.includes(permissionSetArn) ||
    scope.pairs.some((p) => p.permissionSetArn === permissionSetArn)
  );
}

/** The guards that count actions: recounted over the scope's actions. */
const COUNTING_GUARDS = new Set<GuardViolation["guard"]>([
  "max-deletes",
  "max-delete-percent",
  "max-denied-users",
  "max-denied-percent",
]);

/**
 * A plan of the scope's read narrowed to the scope. The guards that judge the reads (an empty or
 * ambiguous Okta read, an emptied group) stand as planned; the ones that count actions are counted
 * again over the scope's actions: `maxDeletes` as is, while the percentages are left out, as a
 * scope's handful of assignments is no base for them (one hand-made assignment of two would be 50%).
 */
export function narrowPlanToScope(plan: Plan, scope: EstateScope, maxDeletes: number): Plan {
  const actions = plan.actions.filter((a) => actionInScope(a, scope));
  const violations = plan.violations.filter((v) => !COUNTING_GUARDS.has(v.guard));
  const deletes = countDeletes(actions);
  if (deletes > maxDeletes) {
    violations.push({
      guard: "max-deletes",
      message: `The scoped plan deletes ${deletes} assignments; guards.maxDeletes is ${maxDeletes}.`,
    });
  }
  return {
    ...plan,
    status: violations.length > 0 ? "blocked" : "ready",
    violations,
    actions,
    findings: plan.findings.filter((f) => findingInScope(f.subject, scope)),
  };
}
