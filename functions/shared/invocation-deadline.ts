/**
 * Kept back from the Lambda's remaining time when an Okta call may wait for a rate-limit reset: what
 * the task still needs after the call (answering, the rest of its work). @default 5000
 */
export const OKTA_WAIT_SAFETY_MARGIN_MS = 5_000;

/** The part of a Lambda context the deadline reads. */
export interface RemainingTime {
  getRemainingTimeInMillis(): number;
}

/**
 * The current invocation's deadline, for adapters built once per function instance (a Lambda instance
 * runs one invocation at a time): each handler calls `enter(context)` first, and the Okta adapter's
 * `remainingTimeMs` reads it, so a rate-limit wait that would outlast the function is handed back to
 * the workflow at once (adapters/okta/http-client.ts).
 */
export class InvocationDeadline {
  private context: RemainingTime | undefined;
  private readonly marginMs: number;

  constructor(marginMs = OKTA_WAIT_SAFETY_MARGIN_MS) {
    this.marginMs = marginMs;
  }

  /** Starts an invocation; without a context (a direct call, a test) there is no limit. */
  enter(context: RemainingTime | undefined): void {
    this.context = context;
  }

  /** Milliseconds the invocation may still spend waiting: the remaining time minus the margin, at least 0. */
  readonly remainingTimeMs = (): number =>
    this.context === undefined
      ? Number.POSITIVE_INFINITY
      : Math.max(0, this.context.getRemainingTimeInMillis() - this.marginMs);
}

/**
 * The function instance's deadline: its handlers `enter` their context, and the Okta adapters built by
 * functions/shared/okta-auth.ts read it.
 */
export const lambdaDeadline = new InvocationDeadline();
