import { GRANT_GUARDS } from "./grant-guards.ts";
import { countDeletes, countPermissionSetDeletes, type GuardKind, type Plan } from "./plan.ts";

/** The delete guards `--allow-deletes N` may override. */
const DELETE_GUARDS: ReadonlySet<GuardKind> = new Set([
  "max-deletes",
  "max-delete-percent",
  "max-permission-set-deletes",
]);

/** What a person allowed after reading a blocked plan: at most this many deletions, at most this many grants. */
export interface GuardAllowance {
  allowDeletes?: number;
  allowGrants?: number;
}

/**
 * Whether a blocked plan may be applied anyway: every violation is a delete guard the person allowed
 * (the plan deletes at most `allowDeletes` assignments and memberships, and at most `allowDeletes`
 * permission sets) or a grant guard they allowed (it creates at most `allowGrants` assignments). Any
 * other guard (a failed Okta read, an ABAC canary) is never overridden.
 */
export function overridesGuards(
  plan: Pick<Plan, "status" | "violations" | "actions">,
  allow: GuardAllowance,
): boolean {
  if (plan.status !== "blocked") return false;
  const creates = plan.actions.filter((a) => a.kind === "assignment.create").length;
  const deletesAllowed =
    allow.allowDeletes !== undefined &&
    countDeletes(plan.actions) <= allow.allowDeletes &&
    countPermissionSetDeletes(plan.actions) <= allow.allowDeletes;
  const grantsAllowed = allow.allowGrants !== undefined && creates <= allow.allowGrants;
  return plan.violations.every(
    (v) => (DELETE_GUARDS.has(v.guard) && deletesAllowed) || (GRANT_GUARDS.has(v.guard) && grantsAllowed),
  );
}
