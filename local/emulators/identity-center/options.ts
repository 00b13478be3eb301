/**
 * How an Identity Center emulator is built and tuned. Limits and faults are plain mutable objects
 * so tests, benchmarks and the local stack can change them while the emulator runs.
 */
import type { AwsBehaviourSwitches } from "../aws-behaviour-switches.ts";
import type { PageShape } from "../page-shape.ts";
import type { RandomSource } from "./seeded-random.ts";

/** Limits that bite in production (design.md, "Facts about AWS"); change them at any time. */
export interface EmulatorLimits {
  /**
   * How long an asynchronous operation (assignment create/delete, provisioning) stays IN_PROGRESS.
   * @default 5
   */
  latencyMs: number;
  /**
   * Shared sso-admin rate (token bucket, burst = rate). `0` or `Infinity` turns throttling off.
   * @default 20
   */
  ssoAdminTps: number;
  /**
   * identitystore rate, separate from sso-admin's. AWS does not publish one figure for it; this
   * default is an assumption, keep it higher than sso-admin's.
   * @default 50
   */
  identityStoreTps: number;
  /**
   * Assignment creations + deletions that may be IN_PROGRESS at once; the next one is throttled.
   * @default 10
   */
  maxOutstandingAssignmentOps: number;
  /**
   * Page size of list calls that are sent without MaxResults.
   * @default 100
   */
  defaultPageSize: number;
  /**
   * How full list pages are: AWS may answer fewer items than MaxResults, even none, with a NextToken
   * (see page-shape.ts for the sources). `short` and `empty-first` force the worst cases.
   * @default "full"
   */
  pageShape: PageShape;
}

/** Switchable fault injection; every field can be changed at runtime. */
export interface EmulatorFaults {
  /**
   * Probability in [0, 1] that any call answers ThrottlingException (on top of the token bucket).
   * @default 0
   */
  throttleRate: number;
  /**
   * Probability in [0, 1] that any call answers InternalServerException (HTTP 500).
   * @default 0
   */
  serverErrorRate: number;
  /**
   * The next N asynchronous operations that start end FAILED with a FailureReason.
   * @default 0
   */
  failNextOperations: number;
}

export interface IdentityCenterEmulatorOptions {
  /** Overrides of the defaults in {@link EmulatorLimits}. */
  limits?: Partial<EmulatorLimits>;
  /** Initial faults; see {@link EmulatorFaults}. */
  faults?: Partial<EmulatorFaults>;
  /**
   * Seed of the random source for ids and fault decisions (ignored when `random` is given).
   * @default 1
   */
  seed?: number;
  /** A random source in [0, 1) to use instead of the seeded one. */
  random?: RandomSource;
  /**
   * Milliseconds since the epoch; drives latency, rate limits and CreatedDate.
   * @default Date.now
   */
  now?: () => number;
  /** The instance ARN (`arn:aws:sso:::instance/ssoins-<16 hex>`); generated when absent. */
  instanceArn?: string;
  /** The identity store id (`d-<10 digits>`); generated when absent. */
  identityStoreId?: string;
  /**
   * The account that owns the instance (ListInstances `OwnerAccountId`).
   * @default "111111111111"
   */
  ownerAccountId?: string;
  /** Answers AWS does not document (aws-behaviour-switches.ts); changeable at runtime. @default DEFAULT_AWS_BEHAVIOUR */
  behaviour?: Partial<AwsBehaviourSwitches>;
  /**
   * The caller is Identity Center's delegated administrator unless it signs as the management account:
   * its changes in the management account are refused (delegated-administration.ts). @default none: every caller may
   */
  delegatedAdministration?: import("./delegated-administration.ts").DelegatedAdministration;
  /**
   * Receives the CloudTrail event of every sso-admin change, as EventBridge gets it in the home region
   * (cloudtrail-events.ts). @default none: no events are built
   */
  cloudTrail?: Omit<import("./cloudtrail-events.ts").SsoCloudTrailOptions, "now">;
}

export const DEFAULT_LIMITS: EmulatorLimits = {
  latencyMs: 5,
  ssoAdminTps: 20,
  identityStoreTps: 50,
  maxOutstandingAssignmentOps: 10,
  defaultPageSize: 100,
  pageShape: "full",
};

export const DEFAULT_FAULTS: EmulatorFaults = { throttleRate: 0, serverErrorRate: 0, failNextOperations: 0 };
