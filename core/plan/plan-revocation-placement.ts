import type { IdentityCenterState } from "../estate.ts";
import type { Policy } from "../policy/schema.ts";
import type { PlanAction } from "./plan.ts";

/**
 * Where Deny changes must also be written as inline policy, and the re-provisions that makes
 * necessary. SCPs never apply to the management account (design.md), so with the `scp` method the
 * permission sets provisioned there carry the Deny inline; with `inline`, every provisioned one does.
 * Outdated provisioned pairs are re-provisioned in any case.
 */
export function placeDenies(policy: Policy, ic: IdentityCenterState, actions: PlanAction[]): PlanAction[] {
  const inlinePairs =
    policy.revocation.method === "inline"
      ? ic.provisioned
      : ic.provisioned.filter((p) => p.accountId === policy.managementAccountId);
  const inlineArns = [...new Set(inlinePairs.map((p) => p.permissionSetArn))].sort();
  const denyChanged = actions.some((a) => a.kind === "deny.add" || a.kind === "deny.lift");

  const placed = actions.map((a) =>
    a.kind === "deny.add" || a.kind === "deny.lift" ? { ...a, inlinePermissionSetArns: inlineArns } : a,
  );
  const reprovisions: PlanAction[] = [];
  for (const { permissionSetArn, accountId, outdated } of ic.provisioned) {
    const inline =
      denyChanged &&
      inlineArns.includes(permissionSetArn) &&
      inlinePairs.some((p) => p.accountId === accountId);
    if (inline || outdated) {
      const why = inline ? "inline Deny changed" : "outdated in this account";
      reprovisions.push({ kind: "permission-set.reprovision", permissionSetArn, accountId, why });
    }
  }
  return [...placed, ...reprovisions];
}
