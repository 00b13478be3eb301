/**
 * The ways a call to Okta's Management API can fail, one class each. Every error names the request
 * (method and URL, never the token) and, when Okta answered, its status, `errorCode`, `errorSummary`
 * and `errorId` (what Okta Support asks for).
 */

/** What every adapter error carries. */
export interface OktaErrorContext {
  method: string;
  url: string;
  status?: number;
  errorCode?: string;
  errorSummary?: string;
  errorId?: string;
  /** How many HTTP attempts were made. */
  attempts?: number;
  cause?: unknown;
}

/** Base class: `instanceof OktaAdapterError` catches every Okta failure. */
export class OktaAdapterError extends Error {
  override name = "OktaAdapterError";
  readonly method: string;
  readonly url: string;
  readonly status: number | undefined;
  readonly errorCode: string | undefined;
  readonly errorSummary: string | undefined;
  readonly errorId: string | undefined;
  readonly attempts: number | undefined;

  constructor(message: string, context: OktaErrorContext) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.method = context.method;
    this.url = context.url;
    this.status = context.status;
    this.errorCode = context.errorCode;
    this.errorSummary = context.errorSummary;
    this.errorId = context.errorId;
    this.attempts = context.attempts;
  }
}

/** 401: the API token is missing, wrong, expired or revoked (E0000011). */
export class OktaAuthenticationError extends OktaAdapterError {
  override name = "OktaAuthenticationError";
}

/** 404 on a call where the object must exist (E0000007). */
export class OktaNotFoundError extends OktaAdapterError {
  override name = "OktaNotFoundError";
}

/** Another 4xx: Okta refused the request (E0000001 validation, E0000038 wrong user status...). Not retried. */
export class OktaRequestRejectedError extends OktaAdapterError {
  override name = "OktaRequestRejectedError";
  /** `errorCauses[].errorSummary`, when Okta gave any. */
  readonly causes: string[];

  constructor(message: string, context: OktaErrorContext & { causes: string[] }) {
    super(message, context);
    this.causes = context.causes;
  }
}

/**
 * 403 E0000006 (or an OAuth `insufficient_scope` challenge): the token's admin role (or the service
 * app's scopes) does not allow the call. Never retried: the message says what the token lacks and how to
 * grant it (okta/permissions.ts). A 403 about the user's status (E0000016, E0000038) is not this error.
 */
export class OktaPermissionError extends OktaRequestRejectedError {
  override name = "OktaPermissionError";
  /** What the token lacks, in Okta's terms. */
  readonly lacks: string;

  constructor(message: string, context: OktaErrorContext & { causes: string[]; lacks: string }) {
    super(message, context);
    this.lacks = context.lacks;
  }
}

/** 429 still answered after every retry (E0000047), or a wait for the reset that would not fit. */
export class OktaRateLimitError extends OktaAdapterError {
  override name = "OktaRateLimitError";
  /** When Okta said the window resets (`X-Rate-Limit-Reset`), ISO-8601 by Okta's clock; `null` without the header. */
  readonly resetAt: string | null;
  /** How long the client would have had to wait (by Okta's `Date`), when it gave up because that did not fit. */
  readonly waitMs: number | null;

  constructor(
    message: string,
    context: OktaErrorContext & { resetAt: string | null; waitMs?: number | null },
  ) {
    super(message, context);
    this.resetAt = context.resetAt;
    this.waitMs = context.waitMs ?? null;
  }
}

/** 5xx still answered after every retry (or on a call that is not safe to retry). */
export class OktaServerError extends OktaAdapterError {
  override name = "OktaServerError";
}

/** No HTTP answer: connection failure or the request timeout. */
export class OktaNetworkError extends OktaAdapterError {
  override name = "OktaNetworkError";
}

/** Okta answered 2xx with a body that does not have the shape the adapter relies on. */
export class OktaResponseValidationError extends OktaAdapterError {
  override name = "OktaResponseValidationError";
  /** The first offending field, e.g. `[3].profile.login` (`(body)` when the body is not JSON). */
  readonly field: string;
  /** Every problem found, with its path. */
  readonly problems: { path: string; message: string }[];

  constructor(
    message: string,
    context: OktaErrorContext & { problems: { path: string; message: string }[] },
  ) {
    super(message, context);
    this.problems = context.problems;
    this.field = context.problems[0]?.path ?? "(body)";
  }
}

/** A `Link` the adapter will not follow: it points away from the org (the token would leak there). */
export class OktaUntrustedLinkError extends OktaAdapterError {
  override name = "OktaUntrustedLinkError";
}
