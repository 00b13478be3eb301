import { assignmentKey } from "./assignment-key.ts";
import { denyKey } from "./deny-key.ts";
import type { Finding, PlanAction, PlanActionKind } from "./plan.ts";

/**
 * Revocations first: Denies (adds and lifts go into the same policy write) and the re-provisions
 * that put them in force, then deletions (a permission set after assignments: AWS refuses to delete
 * one still assigned), then grants.
 */
const PHASE: Record<PlanActionKind, number> = {
  "deny.add": 0,
  "deny.lift": 1,
  "permission-set.reprovision": 2,
  "assignment.delete": 3,
  "membership.remove": 4,
  "permission-set.delete": 5,
  "assignment.create": 6,
  "membership.add": 7,
};

function sortKey(a: PlanAction): string {
  switch (a.kind) {
    case "deny.add":
    case "deny.lift":
      return denyKey(a.deny);
    case "permission-set.reprovision":
      // `*` sorts before any account id: a set's all-accounts call comes before single accounts.
      return `${a.target.type === "AWS_ACCOUNT" ? a.target.accountId : "*"}|${a.permissionSetArn}`;
    case "permission-set.delete":
      return a.permissionSetArn;
    case "assignment.delete":
    case "assignment.create":
      return assignmentKey(a.assignment);
    case "membership.remove":
    case "membership.add":
      return `${a.groupId}|${a.userId}`;
  }
}

/** Code-unit order, independent of locale. Keys are unique (deduplicated first), so never equal. */
function compare(x: string, y: string): number {
  return x < y ? -1 : 1;
}

/** Orders actions by phase, then deterministically, and drops exact duplicates. */
export function orderActions(actions: readonly PlanAction[]): PlanAction[] {
  const unique = new Map<string, PlanAction>();
  for (const a of actions) {
    const key = `${PHASE[a.kind]}|${a.kind}|${sortKey(a)}`;
    if (!unique.has(key)) unique.set(key, a);
  }
  return [...unique.entries()].sort(([x], [y]) => compare(x, y)).map(([, a]) => a);
}

/** Orders findings deterministically and drops exact duplicates. */
export function orderFindings(findings: readonly Finding[]): Finding[] {
  const unique = new Map(findings.map((f) => [`${f.kind}|${JSON.stringify(f.subject)}|${f.message}`, f]));
  return [...unique.entries()].sort(([x], [y]) => compare(x, y)).map(([, f]) => f);
}
