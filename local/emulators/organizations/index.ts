import { type AwsBehaviourSwitches, sharedAwsBehaviour } from "../aws-behaviour-switches.ts";
/**
 * The AWS Organizations emulator over AWS JSON 1.1 (`AWSOrganizationsV20161128`), so the real
 * `@aws-sdk/client-organizations` talks to it through an endpoint override. It models the structure
 * (root, OUs, accounts, tags) and SCPs with the limits that bite: 5,120 characters per SCP, 5 SCPs per
 * target (FullAWSAccess included, attached to the root by default), no deleting an attached policy,
 * pagination (MaxResults up to 20, NextToken), TooManyRequestsException, and switchable faults. With
 * `onCloudTrailEvent`, each mutating call also produces the CloudTrail event EventBridge would get.
 *
 * ```ts
 * const org = createOrganizationsEmulator({ limits: { pageSize: 3 } });
 * const server = await startAwsJsonServer([org.service]);
 * const client = new OrganizationsClient(localClientConfig(server.endpoint));
 * org.faults.throttleNext = 2; // the next two calls answer TooManyRequestsException
 * ```
 */
import type { AwsJsonService } from "../aws-json-protocol.ts";
import { seededRandom } from "../identity-center/seeded-random.ts";
import { recordInCloudTrail } from "./cloudtrail-events.ts";
import type { OperationContext } from "./context.ts";
import { ORGANIZATIONS_ERROR_STATUSES } from "./errors.ts";
import { createGate } from "./gate.ts";
import { IdFactory } from "./ids.ts";
import {
  DEFAULT_LIMITS,
  DEFAULT_MANAGEMENT_ACCOUNT,
  defaultFaults,
  type OrganizationsEmulatorOptions,
  type OrganizationsFaults,
  type OrganizationsLimits,
} from "./options.ts";
import { policyOperations } from "./policy-operations.ts";
import { withScpPolicyType } from "./scp-policy-type.ts";
import { createSeedHelpers, type SeedHelpers } from "./seed.ts";
import { type OrganizationsSnapshot, takeSnapshot } from "./snapshot.ts";
import { OrganizationsState } from "./state.ts";
import { structureOperations } from "./structure-operations.ts";
import { tagOperations } from "./tag-operations.ts";
import { unitDeletionOperations } from "./unit-deletion-operations.ts";

export type { CloudTrailEvent, CloudTrailListener } from "./cloudtrail-events.ts";
export type {
  OrganizationsEmulatorOptions,
  OrganizationsFaults,
  OrganizationsLimits,
  ScriptedFailure,
} from "./options.ts";
export { type SeedAccount, SeedError, type SeedHelpers, type SeedPolicy } from "./seed.ts";
export type { OrganizationsSnapshot } from "./snapshot.ts";
export { FULL_AWS_ACCESS_ID, OrganizationsState } from "./state.ts";

/** The `X-Amz-Target` prefix of Organizations. */
export const ORGANIZATIONS_TARGET = "AWSOrganizationsV20161128";

export interface OrganizationsEmulator {
  /** For startAwsJsonServer / the local gateway. */
  service: AwsJsonService;
  /** The live state (read it; change it through `seed` or the API). */
  state: OrganizationsState;
  rootId: string;
  /** Limits, changeable at runtime. */
  limits: OrganizationsLimits;
  /** Fault injection, changeable at runtime. */
  faults: OrganizationsFaults;
  /** Undocumented AWS answers (aws-behaviour-switches.ts), changeable at runtime. */
  behaviour: AwsBehaviourSwitches;
  /** Puts an organization in directly (no API calls, limits or call counts). */
  seed: SeedHelpers;
  /** Calls received per operation since the start or the last reset. */
  callCounts(): Record<string, number>;
  /** Zeroes the call and throttle counts. */
  resetCallCounts(): void;
  /** A read-only copy of the current state, call counts included. */
  snapshot(): OrganizationsSnapshot;
}

export function createOrganizationsEmulator(
  options: OrganizationsEmulatorOptions = {},
): OrganizationsEmulator {
  const random = options.random ?? seededRandom(options.seed ?? 1);
  const now = options.now ?? Date.now;
  const ids = new IdFactory(random);
  const limits: OrganizationsLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const faults: OrganizationsFaults = { ...defaultFaults(), ...options.faults };
  const behaviour: AwsBehaviourSwitches = sharedAwsBehaviour(options.behaviour);
  const state = new OrganizationsState({
    organizationId: options.organizationId ?? ids.organizationId(),
    rootId: options.rootId ?? ids.rootId(),
    managementAccount: options.managementAccount ?? DEFAULT_MANAGEMENT_ACCOUNT,
    now: now(),
  });
  const ctx: OperationContext = { state, limits, behaviour, ids, now };
  const operations = withScpPolicyType(ctx, {
    ...structureOperations(ctx),
    ...unitDeletionOperations(ctx),
    ...tagOperations(ctx),
    ...policyOperations(ctx),
  });
  return {
    service: {
      targetPrefix: ORGANIZATIONS_TARGET,
      operations: options.onCloudTrailEvent
        ? recordInCloudTrail(operations, ctx, options.onCloudTrailEvent)
        : operations,
      beforeOperation: createGate({ state, limits, faults, random, now }),
      errorStatuses: ORGANIZATIONS_ERROR_STATUSES,
    },
    state,
    rootId: state.rootId,
    limits,
    faults,
    behaviour,
    seed: createSeedHelpers(state, ids, now),
    callCounts: () => Object.fromEntries(state.calls),
    resetCallCounts() {
      state.calls.clear();
      state.throttled.clear();
    },
    snapshot: () => takeSnapshot(state),
  };
}
