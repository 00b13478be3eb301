import { type AwsBehaviourSwitches, sharedAwsBehaviour } from "../aws-behaviour-switches.ts";
/**
 * The IAM Identity Center emulator: sso-admin and identitystore over AWS JSON 1.1, so the real
 * `@aws-sdk/client-sso-admin` and `@aws-sdk/client-identitystore` talk to it through an endpoint
 * override. It models what bites in production: asynchronous assignment operations with latency,
 * ~20 TPS (ThrottlingException), 10 outstanding assignment operations, one permission-set update per
 * account at a time (ConflictException), pagination, and switchable faults.
 *
 * ```ts
 * const ic = createIdentityCenterEmulator({ limits: { latencyMs: 5 } });
 * const server = await startAwsJsonServer(ic.services);
 * const ssoAdmin = new SSOAdminClient(localClientConfig(server.endpoint));
 * ic.faults.failNextOperations = 1; // the next async operation ends FAILED
 * ```
 */
import type { AwsJsonService } from "../aws-json-protocol.ts";
import { AsyncOperations } from "./async-operations.ts";
import { recordSsoInCloudTrail } from "./cloudtrail-events.ts";
import type { OperationContext } from "./context.ts";
import { withDelegatedAdministration } from "./delegated-administration.ts";
import { IdFactory } from "./ids.ts";
import {
  DEFAULT_FAULTS,
  DEFAULT_LIMITS,
  type EmulatorFaults,
  type EmulatorLimits,
  type IdentityCenterEmulatorOptions,
} from "./options.ts";
import { RequestGate } from "./request-gate.ts";
import { createSeedHelpers, type SeedHelpers } from "./seed.ts";
import { seededRandom } from "./seeded-random.ts";
import { createServices } from "./services.ts";
import { type IdentityCenterSnapshot, takeSnapshot } from "./snapshot.ts";
import { EmulatorState } from "./state.ts";

export type { SsoCloudTrailEvent, SsoCloudTrailOptions } from "./cloudtrail-events.ts";
export type { DelegatedAdministration } from "./delegated-administration.ts";
export type { EmulatorFaults, EmulatorLimits, IdentityCenterEmulatorOptions } from "./options.ts";
export { SeedError, type SeedHelpers, type SeedPermissionSet, type SeedUser } from "./seed.ts";
export { IDENTITY_STORE_TARGET, SSO_ADMIN_TARGET } from "./services.ts";
export type { IdentityCenterSnapshot, PermissionSetSnapshot } from "./snapshot.ts";

export interface IdentityCenterEmulator {
  /** sso-admin (`SWBExternalService`) and identitystore (`AWSIdentityStore`), for startAwsJsonServer. */
  services: AwsJsonService[];
  instanceArn: string;
  identityStoreId: string;
  /** Limits, changeable at runtime. */
  limits: EmulatorLimits;
  /** Fault injection, changeable at runtime. */
  faults: EmulatorFaults;
  /** Undocumented AWS answers (aws-behaviour-switches.ts), changeable at runtime. */
  behaviour: AwsBehaviourSwitches;
  /** Puts an estate in directly (no API calls, limits or call counts). */
  seed: SeedHelpers;
  /** A read-only copy of the current state, call counts included (for `/local/state`). */
  snapshot(): IdentityCenterSnapshot;
  /** The same as {@link snapshot}, as a property. */
  readonly state: IdentityCenterSnapshot;
  /** Zeroes the call and throttle counts (benchmarks count the calls of one run). */
  resetCallCounts(): void;
}

export function createIdentityCenterEmulator(
  options: IdentityCenterEmulatorOptions = {},
): IdentityCenterEmulator {
  const random = options.random ?? seededRandom(options.seed ?? 1);
  const now = options.now ?? Date.now;
  const ids = new IdFactory(random);
  const limits: EmulatorLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const faults: EmulatorFaults = { ...DEFAULT_FAULTS, ...options.faults };
  const behaviour: AwsBehaviourSwitches = sharedAwsBehaviour(options.behaviour);
  const state = new EmulatorState(
    options.instanceArn ?? ids.instanceArn(),
    options.identityStoreId ?? ids.identityStoreId(),
    options.ownerAccountId ?? "111111111111",
    now(),
  );
  const asyncOperations = new AsyncOperations({ state, limits, faults, ids, now });
  const gate = new RequestGate({
    state,
    limits,
    faults,
    random,
    now,
    settle: () => asyncOperations.settle(),
  });
  const ctx: OperationContext = { state, limits, behaviour, ids, now, asyncOperations };
  const cloudTrail = options.cloudTrail;
  const recordedIfAsked = (services: AwsJsonService[]) =>
    cloudTrail ? recordSsoInCloudTrail(services, { ...cloudTrail, now }) : services;
  return {
    services: recordedIfAsked(
      withDelegatedAdministration(createServices(ctx, gate), state, options.delegatedAdministration),
    ),
    instanceArn: state.instanceArn,
    identityStoreId: state.identityStoreId,
    limits,
    faults,
    behaviour,
    seed: createSeedHelpers(state, ids, now),
    snapshot: () => takeSnapshot(state, asyncOperations),
    get state() {
      return takeSnapshot(state, asyncOperations);
    },
    resetCallCounts() {
      for (const counts of [state.calls, state.throttled]) {
        counts.ssoAdmin.clear();
        counts.identityStore.clear();
      }
    },
  };
}
