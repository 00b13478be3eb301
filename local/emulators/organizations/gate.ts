/**
 * What every call goes through before its operation runs: it is counted, then scripted failures,
 * the token bucket, the policy-change window and the random faults may answer instead of the
 * operation (conflicts only where the model lists them: policy-change-conflicts.ts).
 */
import { AwsServiceError } from "../aws-json-protocol.ts";
import type { RandomSource } from "../identity-center/seeded-random.ts";
import { TokenBucket } from "../rate-limiter.ts";
import { serviceError, tooManyRequests } from "./errors.ts";
import type { OrganizationsFaults, OrganizationsLimits } from "./options.ts";
import {
  assertConflictListed,
  CONCURRENT_MODIFICATION_OPERATIONS,
  concurrentModification,
  PolicyChangeWindow,
} from "./policy-change-conflicts.ts";
import type { OrganizationsState } from "./state.ts";

export interface GateDeps {
  state: OrganizationsState;
  limits: OrganizationsLimits;
  faults: OrganizationsFaults;
  random: RandomSource;
  now: () => number;
}

/** Returns the `beforeOperation` hook of the service. */
export function createGate({ state, limits, faults, random, now }: GateDeps): (operation: string) => void {
  let rate = Number.NaN;
  let bucket: TokenBucket | null = null;
  const admitted = () => {
    if (limits.tps !== rate) {
      // A changed limit starts a fresh bucket; 0 or Infinity: no limit.
      rate = limits.tps;
      bucket = rate > 0 && Number.isFinite(rate) ? new TokenBucket(rate, rate, now) : null;
    }
    return bucket === null || bucket.tryTake();
  };
  const chance = (p: number) => p > 0 && random() < p;
  const policyChanges = new PolicyChangeWindow();

  return (operation) => {
    state.countCall(operation);
    const scripted = faults.failNext.findIndex((f) => f.operation === operation);
    if (scripted >= 0) {
      const [f] = faults.failNext.splice(scripted, 1);
      if (f) {
        assertConflictListed(operation, f.type);
        throw new AwsServiceError(f.type, f.message ?? `Injected ${f.type}`, f.status ?? 400, f.fields ?? {});
      }
    }
    const throttleNow = faults.throttleNext > 0;
    if (throttleNow) faults.throttleNext -= 1;
    if (throttleNow || !admitted() || chance(faults.throttleRate)) {
      state.countThrottled(operation);
      throw tooManyRequests();
    }
    if (CONCURRENT_MODIFICATION_OPERATIONS.has(operation) && chance(faults.concurrentModificationRate)) {
      throw concurrentModification();
    }
    policyChanges.admit(operation, faults.policyChangesInProgressMs, now());
    if (chance(faults.serviceErrorRate)) throw serviceError();
  };
}
