import type { AwsBehaviourSwitches } from "../aws-behaviour-switches.ts";
/** What the operation modules share: the state, the tunables, ids, the clock and the async queue. */
import type { AsyncOperations } from "./async-operations.ts";
import { notFound } from "./errors.ts";
import type { IdFactory } from "./ids.ts";
import type { EmulatorLimits } from "./options.ts";
import type { EmulatorState, OperationRecord, PermissionSetRecord } from "./state.ts";

export interface OperationContext {
  state: EmulatorState;
  limits: EmulatorLimits;
  /** Undocumented AWS answers, one switch each; read at call time (tests change them at runtime). */
  behaviour: AwsBehaviourSwitches;
  ids: IdFactory;
  now: () => number;
  asyncOperations: AsyncOperations;
}

/** AWS JSON timestamps are epoch seconds. */
export const epochSeconds = (ms: number): number => ms / 1000;

/** The instance named in a request must be the emulated one. */
export function requireInstance(state: EmulatorState, instanceArn: string): void {
  if (instanceArn !== state.instanceArn) throw notFound(`Instance ${instanceArn} does not exist`);
}

export function requirePermissionSet(state: EmulatorState, arn: string): PermissionSetRecord {
  const permissionSet = state.permissionSets.get(arn);
  if (!permissionSet) throw notFound(`Could not find PermissionSet with ARN ${arn}`);
  return permissionSet;
}

export function requireOperation(
  state: EmulatorState,
  requestId: string,
  kind: OperationRecord["kind"],
): OperationRecord {
  const op = state.operations.get(requestId);
  if (!op || op.kind !== kind) throw notFound(`Request ${requestId} does not exist`);
  return op;
}

/** `Status`, `RequestId`, `FailureReason` (when FAILED) and `CreatedDate` of an operation. */
export function statusFields(op: OperationRecord): Record<string, unknown> {
  return {
    Status: op.status,
    RequestId: op.requestId,
    ...(op.failureReason === undefined ? {} : { FailureReason: op.failureReason }),
    CreatedDate: epochSeconds(op.createdAt),
  };
}
