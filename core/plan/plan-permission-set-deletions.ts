import { PERMISSION_SET_OWNERSHIP_TAG } from "./permission-set-ownership-tag.ts";
import type { Finding, GuardViolation } from "./plan.ts";

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

export interface PermissionSetDeletion {
  kind: "permission-set.delete";
  name: string;
  permissionSetArn: string;
}

export interface PermissionSetDeletionPlan {
  deletions: PermissionSetDeletion[];
  findings: Finding[];
  violations: GuardViolation[];
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
 * `max-permission-set-deletes` guard. Pure and deterministic: by name. Not wired into the estate run
 * yet (issue 18): no permission set is deleted today (docs/policy.md).
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
    const why =
      use === undefined
        ? "its assignments could not be read"
        : `it still has ${use.assignments} assignments and is provisioned to ${use.provisionedAccounts} accounts`;
    findings.push({
      kind: "permission-set-delete-pending",
      message:
        `permission set '${set.name}' was created by this tool and the policy no longer declares it, ` +
        `but ${why}: its assignments are deleted first and the set by a later run`,
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
  return { deletions, findings, violations };
}
