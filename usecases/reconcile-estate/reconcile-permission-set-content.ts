import type { IcPermissionSet } from "../../core/estate.ts";
import {
  judgePermissionSetDrift,
  type PermissionSetRepair,
} from "../../core/plan/judge-permission-set-drift.ts";
import type { ObservedPermissionSetContent } from "../../core/plan/permission-set-content.ts";
import {
  type PermissionSetContentPlan,
  planPermissionSetContent,
} from "../../core/plan/plan-permission-set-content.ts";
import { declaresContent } from "../../core/policy/permission-set-content.ts";
import type { Policy } from "../../core/policy/schema.ts";
import { awaitOperationOutcome, type OperationProgress } from "../reconcile-user/await-operation-outcome.ts";
import type { OperationOutcome } from "../reconcile-user/run-state.ts";
import { isTransient } from "../shared/dependency-unavailable.ts";

/** The sso-admin calls the step needs (PermissionSetContentAdapter and IdentityCenterAdapter provide them). */
export interface PermissionSetContentPorts {
  listPermissionSets(): Promise<IcPermissionSet[]>;
  read(permissionSetArn: string): Promise<ObservedPermissionSetContent>;
  create(
    attributes: { name: string } & Extract<
      PermissionSetContentPlan["steps"][number],
      { kind: "create" }
    >["attributes"],
  ): Promise<string>;
  apply(permissionSetArn: string, repair: PermissionSetRepair): Promise<void>;
  provisionPermissionSetEverywhere(permissionSetArn: string): Promise<{ requestId: string }>;
  provisioningStatus(requestId: string): Promise<OperationProgress>;
}

/** What one step did: the write, then (for a repaired set) the ALL_PROVISIONED_ACCOUNTS re-provision. */
export interface PermissionSetContentOutcome extends OperationOutcome {
  permissionSet: string;
  step: "create" | "repair";
  /** When the write began and when its read-back ended, if the caller gave a clock (`options.now`). */
  startedAt?: string;
  finishedAt?: string;
}

export interface PermissionSetContentRun {
  /** The plan as judged before any write (its findings carry the diffs: evidence of what was found). */
  plan: PermissionSetContentPlan;
  outcomes: PermissionSetContentOutcome[];
}

/**
 * Reads the content of every permission set the policy declares content for, plans (core) and, unless
 * `dryRun`, writes: creates missing sets, repairs drifted ones (under `permissionSetDrift: repair`) and
 * re-provisions each repaired set with one ALL_PROVISIONED_ACCOUNTS call, polled to its end. A new set
 * needs no provisioning: creating an assignment provisions it. Each written set is read back and judged
 * again (a write that did not take is FAILED). One set that cannot be read or written is
 * a finding or a FAILED outcome; the others go on. Transient errors are thrown for the caller to retry.
 * `only` (names) or `onlyArns` scopes the run to some sets (a CloudTrail-triggered run for one set's edit).
 */
export async function reconcilePermissionSetContent(
  policy: Policy,
  ports: PermissionSetContentPorts,
  options: {
    only?: readonly string[];
    /** Like `only`, by ARN (a scoped estate run's `permissionSetArns`); both given, a set in either. */
    onlyArns?: readonly string[];
    dryRun?: boolean;
    pollMs?: number;
    now?: () => string;
  } = {},
): Promise<PermissionSetContentRun> {
  const existing = await ports.listPermissionSets();
  if (options.onlyArns !== undefined) {
    const arns = options.onlyArns;
    const named = existing.filter((s) => arns.includes(s.arn)).map((s) => s.name);
    options = { ...options, only: [...(options.only ?? []), ...named] };
  }
  const observed: Record<string, ObservedPermissionSetContent> = {};
  const unreadable: Record<string, string> = {};
  for (const set of existing) {
    const decl = policy.permissionSets[set.name];
    if (decl === undefined || !declaresContent(decl)) continue;
    if (options.only !== undefined && !options.only.includes(set.name)) continue;
    try {
      observed[set.name] = await ports.read(set.arn);
    } catch (error) {
      if (isTransient(error)) throw error;
      unreadable[set.name] = `${(error as Error).name}: ${(error as Error).message}`;
    }
  }
  const plan = planPermissionSetContent({
    policy,
    existing,
    observed,
    unreadable,
    ...(options.only === undefined ? {} : { only: options.only }),
  });
  if (options.dryRun) return { plan, outcomes: [] };

  const outcomes: PermissionSetContentOutcome[] = [];
  for (const step of plan.steps) {
    const report = {
      permissionSet: step.name,
      step: step.kind,
      ...(options.now ? { startedAt: options.now() } : {}),
    };
    const finished = () => (options.now ? { finishedAt: options.now() } : {});
    let arn: string;
    try {
      arn =
        step.kind === "create"
          ? await ports.create({ name: step.name, ...step.attributes })
          : step.permissionSetArn;
      await ports.apply(arn, step.repair);
    } catch (error) {
      if (isTransient(error)) throw error;
      const e = error as Error;
      outcomes.push({
        ...report,
        status: "FAILED",
        error: { Error: e.name, Cause: e.message },
        ...finished(),
      });
      continue;
    }
    const provisioned =
      step.kind === "create"
        ? ({ status: "SUCCEEDED", permissionSetArn: arn } as const)
        : await awaitOperationOutcome(
            () => ports.provisionPermissionSetEverywhere(arn),
            (requestId) => ports.provisioningStatus(requestId),
            { permissionSetArn: arn },
            options.pollMs ?? 1_000,
          );
    outcomes.push({
      ...report,
      ...(await verified(policy, step.name, arn, ports, provisioned)),
      ...finished(),
    });
  }
  return { plan, outcomes };
}

/**
 * Reads the set back and judges it again: a write that did not take (or that another writer undid at
 * once) turns a SUCCEEDED outcome into FAILED, with what still differs.
 */
async function verified(
  policy: Policy,
  name: string,
  arn: string,
  ports: PermissionSetContentPorts,
  outcome: OperationOutcome,
): Promise<OperationOutcome> {
  if (outcome.status !== "SUCCEEDED") return outcome;
  const decl = policy.permissionSets[name] as Policy["permissionSets"][string];
  const after = judgePermissionSetDrift(decl, await ports.read(arn));
  if (!after.drifted) return { ...outcome, note: "read back: matches the policy" };
  return {
    ...outcome,
    status: "FAILED",
    error: { Error: "PermissionSetStillDrifted", Cause: `read back, it still differs:\n${after.diff}` },
  };
}
