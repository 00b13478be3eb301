/**
 * How an Organizations emulator is built and tuned. Limits and faults are plain mutable objects, so
 * tests, benchmarks and the local stack can change them while the emulator runs.
 */
import type { AwsBehaviourSwitches } from "../aws-behaviour-switches.ts";
import type { RandomSource } from "../identity-center/seeded-random.ts";
import type { PageShape } from "../page-shape.ts";
import type { CloudTrailListener } from "./cloudtrail-events.ts";

/** Limits that bite in production; change them at any time. */
export interface OrganizationsLimits {
  /**
   * Characters one SCP may hold, whitespace included (Organizations quotas: "Maximum size of a policy
   * document: Service control policies: 5120 characters"). CreatePolicy / UpdatePolicy past it answer
   * ConstraintViolationException, Reason POLICY_CONTENT_LIMIT_EXCEEDED.
   * @default 5120
   */
  maxPolicyChars: number;
  /**
   * SCPs attached directly to one root, OU or account, FullAWSAccess included. AttachPolicy past it
   * answers ConstraintViolationException, Reason MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED.
   * @default 5
   */
  maxPoliciesPerTarget: number;
  /**
   * Requests per second over all Organizations APIs (token bucket, burst = rate). AWS publishes no
   * figure; `0` or `Infinity` turns the bucket off.
   * @default 0
   */
  tps: number;
  /**
   * Page size of list calls; a larger MaxResults is cut to it (AWS: "might return fewer results than
   * the maximum even when there are more results available").
   * @default 20
   */
  pageSize: number;
  /**
   * How full list pages are: Organizations' List* operations "can occasionally return an empty set of
   * results even when more results are available" (see page-shape.ts). `short` and `empty-first` force
   * the worst cases.
   * @default "full"
   */
  pageShape: PageShape;
  /**
   * How long a CreateAccount stays IN_PROGRESS before it SUCCEEDs (AWS: minutes; the API reference says
   * CreateAccount "is an asynchronous request" whose first answer is IN_PROGRESS). The account, its
   * tags and the CreateAccountResult event appear when it completes.
   * @default 0: completes right after the call is answered
   */
  createAccountMs: number;
}

/** One scripted failure: the next call of `operation` answers this error instead of running. */
export interface ScriptedFailure {
  operation: string;
  /** The AWS error type, e.g. `ConcurrentModificationException`. */
  type: string;
  message?: string;
  /** @default 400 */
  status?: number;
  /** Extra members of the error shape, e.g. `{ Reason: "..." }`. */
  fields?: Record<string, unknown>;
}

/** Switchable fault injection; every field can be changed at runtime. */
export interface OrganizationsFaults {
  /**
   * Probability in [0, 1] that a call answers TooManyRequestsException (on top of the token bucket).
   * @default 0
   */
  throttleRate: number;
  /**
   * Probability in [0, 1] that a call answers ServiceException (HTTP 500).
   * @default 0
   */
  serviceErrorRate: number;
  /**
   * The next N calls, whatever their operation, answer TooManyRequestsException.
   * @default 0
   */
  throttleNext: number;
  /**
   * Scripted failures, consumed first-come: each one fails the next call of its operation.
   * @default []
   */
  failNext: ScriptedFailure[];
  /**
   * After a policy change the gate admits (AttachPolicy, DetachPolicy, UpdatePolicy, Enable/
   * DisablePolicyType), those operations answer PolicyChangesInProgressException for this long. AWS
   * does not say for how long a change stays in progress: 0 turns the window off.
   * @default 0
   */
  policyChangesInProgressMs: number;
  /**
   * Probability in [0, 1] that an operation whose model lists ConcurrentModificationException answers it.
   * @default 0
   */
  concurrentModificationRate: number;
}

export interface OrganizationsEmulatorOptions {
  /** Overrides of the defaults in {@link OrganizationsLimits}. */
  limits?: Partial<OrganizationsLimits>;
  /** Initial faults; see {@link OrganizationsFaults}. */
  faults?: Partial<OrganizationsFaults>;
  /**
   * Seed of the random source for ids and fault decisions (ignored when `random` is given).
   * @default 1
   */
  seed?: number;
  /** A random source in [0, 1) to use instead of the seeded one. */
  random?: RandomSource;
  /**
   * Milliseconds since the epoch; drives the rate limit and timestamps.
   * @default Date.now
   */
  now?: () => number;
  /** The organization id (`o-` + 10 lowercase letters or digits); generated when absent. */
  organizationId?: string;
  /** The root id (`r-` + 4 lowercase letters or digits); generated when absent. */
  rootId?: string;
  /**
   * The management account, placed under the root.
   * @default { id: "111111111111", name: "management", email: "aws-management@example.com" }
   */
  managementAccount?: { id: string; name: string; email: string };
  /** Answers AWS does not document (aws-behaviour-switches.ts); changeable at runtime. @default DEFAULT_AWS_BEHAVIOUR */
  behaviour?: Partial<AwsBehaviourSwitches>;
  /**
   * Receives the CloudTrail event of every mutating call, as EventBridge gets it in us-east-1 (and a
   * successful CreateAccount's `CreateAccountResult`), synchronously once the call is answered.
   * See cloudtrail-events.ts. @default none: no events are built
   */
  onCloudTrailEvent?: CloudTrailListener;
}

export const DEFAULT_LIMITS: OrganizationsLimits = {
  maxPolicyChars: 5120,
  maxPoliciesPerTarget: 5,
  tps: 0,
  pageSize: 20,
  pageShape: "full",
  createAccountMs: 0,
};

export const defaultFaults = (): OrganizationsFaults => ({
  throttleRate: 0,
  serviceErrorRate: 0,
  throttleNext: 0,
  failNext: [],
  policyChangesInProgressMs: 0,
  concurrentModificationRate: 0,
});

export const DEFAULT_MANAGEMENT_ACCOUNT = {
  id: "111111111111",
  name: "management",
  email: "aws-management@example.com",
};
