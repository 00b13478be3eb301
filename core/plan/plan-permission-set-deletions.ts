import type { IdentityCenterState } from "../estate.ts";
import type { Policy } from "../policy/schema.ts";
import { PERMISSION_SET_OWNERSHIP_TAG } from "./permission-set-ownership-tag.ts";
import type { Finding, GuardViolation, PlanAction } from "./plan.ts";

/** A permission set as the estate run read it, with its tags (every set, declared or not). */
export interface PermissionSetWithTags {
  arn: string;
  name: string;
  tags: Readonly<Record<string, string>>;
}

/** What still ties a set to accounts: AWS refuses DeletePermissionSet while either is non-zero. */
export interface PermissionSetUse {
  assignments: number;
  provisionedAccounts: number;
}

export type PermissionSetDeletion = Extract<PlanAction, { kind: "permission-set.delete" }>;

export interface PermissionSetDeletionPlan {
  /**
   * Every set the tool created that the policy no longer declares, deleted now or pending, sorted:
   * their assignments are owned (core/plan/plan-assignments.ts deletes them).
   */
  droppedArns: string[];
  deletions: PermissionSetDeletion[];
  findings: Finding[];
  violations: GuardViolation[];
}

/**
 * What an estate run read to judge permission-set deletions (a full run: reconcile-estate.ts), as plain
 * JSON (the deployed plan task stores it). `tags`: every set's tags by ARN (a set left out is never
 * deleted, and its assignments are owned as before); `provisionedAccounts`: for each set the tool
 * created that the policy dropped, the accounts it is provisioned to (ListAccountsForProvisionedPermissionSet,
 * every account whatever its status); a set left out there is pending as unread.
 */
export interface PermissionSetOwnershipRead {
  tags: Record<string, Record<string, string>>;
  provisionedAccounts: Record<string, number>;
  /** The sets whose tags could not be read, by ARN: why (the error). Absent: none. */
  unreadTags?: Record<string, string>;
}

/**
 * planPermissionSetDeletions over an estate read: the sets whose tags were read, and as each dropped
 * set's use its assignments in the read (`identityCenter.assignments`) and the accounts it is
 * provisioned to. Without a read (a scoped run, or a caller that did not read tags), nothing.
 */
export function planPermissionSetDeletionsOf(
  policy: Policy,
  identityCenter: Pick<IdentityCenterState, "permissionSets" | "assignments">,
  read: PermissionSetOwnershipRead | undefined,
): PermissionSetDeletionPlan {
  if (read === undefined) return { droppedArns: [], deletions: [], findings: [], violations: [] };
  const sets = identityCenter.permissionSets.flatMap((p) => {
    const tags = read.tags[p.arn];
    return tags === undefined ? [] : [{ arn: p.arn, name: p.name, tags }];
  });
  const use = new Map(
    Object.entries(read.provisionedAccounts).map(([arn, provisionedAccounts]) => [
      arn,
      {
        assignments: identityCenter.assignments.filter((a) => a.permissionSetArn === arn).length,
        provisionedAccounts,
      },
    ]),
  );
  const plan = planPermissionSetDeletions({
    declaredNames: new Set(Object.keys(policy.permissionSets)),
    sets,
    use,
    maxPermissionSetDeletes: policy.guards.maxPermissionSetDeletes,
  });
  return { ...plan, findings: [...unreadTagFindings(identityCenter.permissionSets, read), ...plan.findings] };
}

/**
 * A set whose tags could not be read is never deleted, which is safe but must not be silent: if the
 * policy dropped a set the tool created, it stays until a run can read its tags.
 */
function unreadTagFindings(
  permissionSets: readonly { arn: string; name: string }[],
  read: PermissionSetOwnershipRead,
): Finding[] {
  return permissionSets.flatMap((p) => {
    const why = read.unreadTags?.[p.arn];
    if (why === undefined) return [];
    return [
      {
        kind: "permission-set-tags-unread" as const,
        message:
          `the tags of permission set '${p.name}' could not be read (${why}), so the run cannot tell whether ` +
          "the tool created it: it is not deleted in this run even if the policy dropped it. Check the role may " +
          "call sso:ListTagsForResource on it (README permissions table); a later full run judges it again.",
        subject: { permissionSet: p.name, permissionSetArn: p.arn },
      },
    ];
  });
}

/** Whether the tool created this set: only the ownership tag says so (core/plan/permission-set-ownership-tag.ts). */
export function isOwnedPermissionSet(set: PermissionSetWithTags): boolean {
  return set.tags[PERMISSION_SET_OWNERSHIP_TAG.key] === PERMISSION_SET_OWNERSHIP_TAG.value;
}

/**
 * Which permission sets the estate run deletes (issue 18): only a set carrying the ownership tag that
 * the policy no longer declares. AWS refuses DeletePermissionSet while the set has assignments or is
 * provisioned (ConflictException; the emulator cites the sources), so such a set is deleted over two
 * runs: this run deletes its assignments (they are owned) and reports `permission-set-delete-pending`;
 * a later run, finding it unassigned and unprovisioned, deletes it. A set whose use could not be read
 * is pending too: nothing is deleted on a guess. More deletions than `maxPermissionSetDeletes` is the
 * `max-permission-set-deletes` guard. A set provisioned to accounts where it has no assignment
 * (ProvisionPermissionSet alone does that) stays pending with a finding that says so: sso-admin has no
 * call that deprovisions a set, AWS does it only when the last assignment in an account is deleted, so
 * a person decides. Pure and deterministic: by name.
 */
export function planPermissionSetDeletions(input: {
  declaredNames: ReadonlySet<string>;
  sets: readonly PermissionSetWithTags[];
  use: ReadonlyMap<string, PermissionSetUse>;
  maxPermissionSetDeletes: number;
}): PermissionSetDeletionPlan {
  const deletions: PermissionSetDeletion[] = [];
  const findings: Finding[] = [];
  const dropped = input.sets
    .filter((set) => isOwnedPermissionSet(set) && !input.declaredNames.has(set.name))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const set of dropped) {
    const use = input.use.get(set.arn);
    if (use !== undefined && use.assignments === 0 && use.provisionedAccounts === 0) {
      deletions.push({ kind: "permission-set.delete", name: set.name, permissionSetArn: set.arn });
      continue;
    }
    findings.push({
      kind: "permission-set-delete-pending",
      message:
        `permission set '${set.name}' was created by this tool and the policy no longer declares it, ` +
        `but ${pendingReason(use)}`,
      subject: { permissionSet: set.name, permissionSetArn: set.arn },
    });
  }
  const violations: GuardViolation[] =
    deletions.length > input.maxPermissionSetDeletes
      ? [
          {
            guard: "max-permission-set-deletes",
            message:
              `The plan deletes ${deletions.length} permission sets (${deletions.map((d) => d.name).join(", ")}); ` +
              `guards.maxPermissionSetDeletes is ${input.maxPermissionSetDeletes}. ` +
              "Check the policy still declares the sets it should, or allow it with --allow-deletes.",
          },
        ]
      : [];
  return { droppedArns: dropped.map((set) => set.arn).sort(), deletions, findings, violations };
}

/** Why a dropped set is not deleted in this run, and what happens next. */
function pendingReason(use: PermissionSetUse | undefined): string {
  if (use === undefined)
    return "its assignments could not be read: its assignments are deleted first and the set by a later run";
  if (use.assignments === 0)
    return (
      `it is provisioned to ${use.provisionedAccounts} accounts without an assignment there, and sso-admin ` +
      "has no call that deprovisions a set (AWS does it when an account's last assignment is deleted): " +
      "it is left in place; remove it from those accounts by hand (or assign and unassign it there), " +
      "then a later run deletes it"
    );
  return (
    `it still has ${use.assignments} assignments and is provisioned to ${use.provisionedAccounts} accounts: ` +
    "its assignments are deleted first and the set by a later run"
  );
}
