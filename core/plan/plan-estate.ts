import { addMs, durationMs } from "../duration.ts";
import type { IdentityCenterState, OktaTruth, Organization } from "../estate.ts";
import type { Policy } from "../policy/schema.ts";
import { judgeAbacAttributes } from "./abac-attributes.ts";
import { type AbacCanaryResult, judgeAbacCanary } from "./abac-canary.ts";
import { applyPlan } from "./apply-plan.ts";
import { denyInForce } from "./deny-key.ts";
import { checkGrantGuards } from "./grant-guards.ts";
import { checkGuards } from "./guards.ts";
import { orderActions, orderFindings } from "./order-actions.ts";
import type { Plan, PlanAction } from "./plan.ts";
import { planAssignments } from "./plan-assignments.ts";
import {
  type PermissionSetOwnershipRead,
  planPermissionSetDeletionsOf,
} from "./plan-permission-set-deletions.ts";
import { placeDenies } from "./plan-revocation-placement.ts";
import { leaverUserIds, planUsers } from "./plan-users.ts";
import { resolveRules } from "./resolve-rules.ts";
import { unnamedEntryFindings } from "./unnamed-entries.ts";

export interface PlanInput {
  policy: Policy;
  okta: OktaTruth;
  organization: Organization;
  identityCenter: IdentityCenterState;
  /** The planning instant (ISO-8601), injected so planning stays deterministic. */
  now: string;
  /** When Okta's truth was requested (plan-users.ts: later Denies are never lifted). @default now */
  oktaReadAt?: string;
  /** Whether this deployment may provision to the management account (plan-revocation-placement.ts). @default true */
  managesManagementAccount?: boolean;
  /** The ABAC canary proof's answers (core/plan/abac-canary.ts). @default not run: a finding if the policy has ABAC-scoped sets */
  abacCanary?: AbacCanaryResult;
  /**
   * Permission sets' tags and the dropped owned sets' provisioning (core/plan/plan-permission-set-deletions.ts).
   * @default not read: no permission set is deleted
   */
  permissionSetOwnership?: PermissionSetOwnershipRead;
}

/**
 * Desired vs actual -> Plan. Pure and deterministic: the same input always gives the same plan.
 * A plan that breaks a guard comes back `blocked` and must not be applied.
 */
export function planEstate(input: PlanInput): Plan {
  const { policy, okta, organization, identityCenter: ic, now } = input;
  const resolution = resolveRules(policy, okta, organization, ic);

  // A Deny is held at least as long as the longest session any permission set allows.
  const holdMs = Math.max(
    durationMs(policy.revocation.hold),
    ...ic.permissionSets.map((p) => durationMs(p.sessionDuration)),
  );
  // Sets the tool created that the policy dropped: their assignments are owned, the unused ones deleted.
  const setDeletions = planPermissionSetDeletionsOf(policy, ic, input.permissionSetOwnership);
  const planned = planAssignments(
    policy,
    resolution.rules,
    ic,
    leaverUserIds(policy, okta, ic),
    new Set(setDeletions.droppedArns),
  );
  // Members without an attribute an ABAC-scoped set uses: findings, and withheld creations.
  const abac = judgeAbacAttributes(policy, okta, resolution.rules, planned.actions);
  const assignments = { ...planned, actions: abac.actions };
  const users = planUsers({
    policy,
    okta,
    identityCenter: ic,
    rules: resolution.rules,
    assignmentsAfter: applyPlan(ic, assignments.actions).assignments,
    now,
    ...(input.oktaReadAt === undefined ? {} : { oktaReadAt: input.oktaReadAt }),
    denyExpiresAt: addMs(now, holdMs),
  });

  const expired: PlanAction[] = ic.denies
    .filter((d) => !denyInForce(d, now))
    .map((deny) => ({ kind: "deny.lift", deny, inlinePermissionSetArns: [], why: "expired" }));
  const actions = orderActions(
    placeDenies(
      policy,
      ic,
      [...users.actions, ...assignments.actions, ...expired, ...setDeletions.deletions],
      input.managesManagementAccount === undefined
        ? {}
        : { managesManagementAccount: input.managesManagementAccount },
    ),
  );

  const icMemberCount = new Map<string, number>();
  for (const m of ic.memberships) icMemberCount.set(m.groupId, (icMemberCount.get(m.groupId) ?? 0) + 1);
  const deleteViolations = checkGuards({
    policy,
    actions,
    rules: resolution.rules,
    unresolvedGroupRules: resolution.unresolvedGroupRules,
    ambiguousGroupRules: resolution.ambiguousGroupRules,
    managedAssignmentCount: assignments.managedAssignmentCount,
    icMemberCount,
    icUserCount: ic.users.length,
  });
  const canary = judgeAbacCanary(policy, input.abacCanary);
  const violations = [
    ...deleteViolations,
    ...setDeletions.violations,
    ...canary.violations,
    ...checkGrantGuards({
      policy,
      actions,
      permissionSetNames: new Map(ic.permissionSets.map((p) => [p.arn, p.name])),
    }),
  ];
  return {
    status: violations.length > 0 ? "blocked" : "ready",
    violations,
    actions,
    findings: orderFindings([
      ...resolution.findings,
      ...users.findings,
      ...assignments.findings,
      ...abac.findings,
      ...canary.findings,
      ...setDeletions.findings,
      ...unnamedEntryFindings(ic.unnamed),
    ]),
    managedAssignmentCount: assignments.managedAssignmentCount,
  };
}
