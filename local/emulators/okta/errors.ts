/**
 * Okta's error responses (developer.okta.com "Error codes" and "Core Okta API > Errors"): every error is
 * a JSON object `{errorCode, errorSummary, errorLink, errorId, errorCauses}`; `errorLink` repeats the
 * code and `errorId` identifies the request. Routes throw `OktaApiError`; the router renders it.
 */

/** One entry of `errorCauses`. */
export interface OktaErrorCause {
  errorSummary: string;
}

/** The JSON body of an Okta error response. */
export interface OktaErrorBody {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: OktaErrorCause[];
}

/** An error that reaches the client exactly as Okta answers it. */
export class OktaApiError extends Error {
  override name = "OktaApiError";
  readonly status: number;
  readonly errorCode: string;
  readonly errorCauses: OktaErrorCause[];

  constructor(status: number, errorCode: string, errorSummary: string, errorCauses: OktaErrorCause[] = []) {
    super(errorSummary);
    this.status = status;
    this.errorCode = errorCode;
    this.errorCauses = errorCauses;
  }

  /** The response body, with the request's `errorId`. */
  body(errorId: string): OktaErrorBody {
    return {
      errorCode: this.errorCode,
      errorSummary: this.message,
      errorLink: this.errorCode,
      errorId,
      errorCauses: this.errorCauses,
    };
  }
}

/** 400 E0000001: an endpoint precondition failed (for example suspending a user who is not ACTIVE). */
export function validationFailed(summary: string, causes: string[] = []): OktaApiError {
  return new OktaApiError(
    400,
    "E0000001",
    `Api validation failed: ${summary}`,
    causes.map((errorSummary) => ({ errorSummary })),
  );
}

/** 400 E0000003: the body is not JSON. */
export const malformedBody = () => new OktaApiError(400, "E0000003", "The request body was not well-formed.");

/** 401 E0000011: missing or wrong `Authorization: SSWS <token>`. */
export const invalidToken = () => new OktaApiError(401, "E0000011", "Invalid token provided");

/**
 * 403 E0000006: the caller's admin role does not allow the operation (error-codes.json "Access denied
 * exception"; the spec's `ErrorAccessDenied` example has no causes).
 */
export const accessDenied = () =>
  new OktaApiError(403, "E0000006", "You do not have permission to perform the requested action");

/** 404 E0000007: `Not found: Resource not found: <id> (<Type>)`, Okta's wording. */
export const resourceNotFound = (id: string, type: "User" | "UserGroup" | "EventHook" | "Resource") =>
  new OktaApiError(404, "E0000007", `Not found: Resource not found: ${id} (${type})`);

/** 405 E0000022: the path exists but not with this method (error codes catalogue: statusCode 405). */
export const methodNotSupported = () =>
  new OktaApiError(405, "E0000022", "The endpoint does not support the provided HTTP method");

/** 403 E0000016: activating a user who is already ACTIVE. */
export const alreadyActive = () =>
  new OktaApiError(403, "E0000016", "Activation failed because the user is already active");

/** 403 E0000038: a lifecycle operation the user's status does not allow (documented for reactivate). */
export const notAllowedInStatus = () =>
  new OktaApiError(403, "E0000038", "This operation is not allowed in the user's current status.");

/**
 * 400 E0000029: an `after` cursor that was altered or crafted. The summary is the catalogue's, which
 * includes no exception message (error-codes.json: "Invalid paging request."); the detail is a cause.
 */
export const invalidCursor = () =>
  new OktaApiError(400, "E0000029", "Invalid paging request.", [
    { errorSummary: "after: the pagination cursor was altered or is not one Okta returned" },
  ]);

/**
 * 400 E0000031 "Invalid search criteria." (error codes catalogue): a `filter` or `search` the Users or
 * Groups API does not accept (an attribute or operator the operation's parameter description leaves
 * out, or an expression that does not parse). The cause names the clause and what the parameter takes.
 */
export const invalidSearchCriteria = (parameter: string, problem: string) =>
  new OktaApiError(400, "E0000031", "Invalid search criteria.", [
    { errorSummary: `${parameter}: ${problem}` },
  ]);

/**
 * 400 E0000053: a SCIM filter the System Log cannot parse. The summary is the catalogue's, which includes
 * no exception message (error-codes.json: "Invalid SCIM filter."); the filter and the problem are a cause.
 */
export const invalidFilter = (filter: string, problem: string) =>
  new OktaApiError(400, "E0000053", "Invalid SCIM filter.", [
    { errorSummary: `filter '${filter}': ${problem}` },
  ]);

/** 429 E0000047: a rate limit is exhausted (the bucket, the caller's share of it, or the concurrency limit). */
export const rateLimited = () =>
  new OktaApiError(429, "E0000047", "API call exceeded rate limit due to too many requests.");

/** 500 E0000009: Okta's internal server error. */
export const internalError = () => new OktaApiError(500, "E0000009", "Internal Server Error");
