/**
 * What every call goes through before its operation runs: completes due asynchronous operations,
 * counts the call, then applies the service's token bucket and the injected faults. Separate
 * buckets for sso-admin (~20 TPS shared by all its APIs) and identitystore.
 */
import { TokenBucket } from "../rate-limiter.ts";
import { internalError, RETRY_AFTER_SECONDS, throttling } from "./errors.ts";
import type { EmulatorFaults, EmulatorLimits } from "./options.ts";
import type { RandomSource } from "./seeded-random.ts";
import type { EmulatorState, ServiceName } from "./state.ts";

const TPS_SETTING: Record<ServiceName, "ssoAdminTps" | "identityStoreTps"> = {
  ssoAdmin: "ssoAdminTps",
  identityStore: "identityStoreTps",
};

/** A token bucket that follows its rate setting: changing the limit at runtime starts a fresh bucket. */
class FollowingBucket {
  private rate = Number.NaN;
  private bucket: TokenBucket | null = null;
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  tryTake(rate: number): boolean {
    if (rate !== this.rate) {
      this.rate = rate;
      // 0 or Infinity: no limit.
      this.bucket = rate > 0 && Number.isFinite(rate) ? new TokenBucket(rate, rate, this.now) : null;
    }
    return this.bucket === null || this.bucket.tryTake();
  }
}

export interface RequestGateDeps {
  state: EmulatorState;
  limits: EmulatorLimits;
  faults: EmulatorFaults;
  random: RandomSource;
  now: () => number;
  /** Completes asynchronous operations that are due. */
  settle: () => void;
}

export class RequestGate {
  private readonly deps: RequestGateDeps;
  private readonly buckets: Record<ServiceName, FollowingBucket>;

  constructor(deps: RequestGateDeps) {
    this.deps = deps;
    this.buckets = { ssoAdmin: new FollowingBucket(deps.now), identityStore: new FollowingBucket(deps.now) };
  }

  /** Throws ThrottlingException or InternalServerException when the limits or faults say so. */
  admit(service: ServiceName, operation: string): void {
    const { state, limits, faults } = this.deps;
    this.deps.settle();
    state.countCall(service, operation);
    // identitystore's error shapes say when to retry; sso-admin's have no such member (models).
    const retryAfter = service === "identityStore" ? { RetryAfterSeconds: RETRY_AFTER_SECONDS } : {};
    if (!this.buckets[service].tryTake(limits[TPS_SETTING[service]]) || this.chance(faults.throttleRate)) {
      state.countThrottled(service, operation);
      throw throttling("Rate exceeded", retryAfter);
    }
    if (this.chance(faults.serverErrorRate)) {
      throw internalError(
        "An internal error occurred (injected by the emulator's serverErrorRate)",
        retryAfter,
      );
    }
  }

  /** Draws only when the fault is switched on, so a fault-free run consumes no random numbers. */
  private chance(rate: number): boolean {
    return rate > 0 && this.deps.random() < rate;
  }
}
