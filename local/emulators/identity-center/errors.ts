/**
 * The service errors Identity Center answers with, shaped as the SDK's modeled exceptions
 * (`ThrottlingException`, `ConflictException`, ...) so callers see the same `name` as against AWS.
 */
import { AwsServiceError } from "../aws-json-protocol.ts";

export { validationError } from "../aws-json-protocol.ts";

/**
 * HTTP status of each sso-admin and identitystore error, as both models define it (Smithy `httpError`
 * of @aws-sdk/client-sso-admin and client-identitystore; test/fixtures/aws/models).
 */
export const IDENTITY_CENTER_ERROR_STATUSES: Readonly<Record<string, number>> = {
  AccessDeniedException: 403,
  ConflictException: 409,
  InternalServerException: 500,
  ResourceNotFoundException: 404,
  ServiceQuotaExceededException: 402,
  ThrottlingException: 429,
  ValidationException: 400,
};

/** identitystore's `ResourceType` enum: which kind of resource a ResourceNotFoundException names. */
export type IdentityStoreResourceType = "GROUP" | "USER" | "IDENTITY_STORE" | "GROUP_MEMBERSHIP";

/** A missing sso-admin resource (HTTP 404). */
export const notFound = (message: string) => new AwsServiceError("ResourceNotFoundException", message, 404);

/**
 * A missing identitystore resource (HTTP 404), naming it with the model's `ResourceType` and
 * `ResourceId` members.
 */
export const resourceNotFound = (
  resourceType: IdentityStoreResourceType,
  resourceId: string | undefined,
  message: string,
) =>
  new AwsServiceError("ResourceNotFoundException", message, 404, {
    ResourceType: resourceType,
    ...(resourceId === undefined ? {} : { ResourceId: resourceId }),
  });

/**
 * identitystore's `ConflictException` `Reason` (model enum): a duplicate user name, group name or
 * membership is a uniqueness violation, so a caller can tell "already there" from a race.
 */
export const uniquenessConflict = (message: string) =>
  new AwsServiceError("ConflictException", message, 409, { Reason: "UNIQUENESS_CONSTRAINT_VIOLATION" });

/**
 * How long a throttled or failed identitystore caller should wait: the model's `RetryAfterSeconds` on
 * ThrottlingException and InternalServerException (sso-admin's shapes have no such member). One second
 * refills the emulator's token bucket.
 */
export const RETRY_AFTER_SECONDS = 1;

/**
 * Rate limit or outstanding-operation limit exceeded (HTTP 429 per the model; the SDK retries it).
 * `fields`: identitystore's `RetryAfterSeconds`.
 */
export const throttling = (message: string, fields: Record<string, unknown> = {}) =>
  new AwsServiceError("ThrottlingException", message, 429, fields);

/** A concurrent write conflicts; AWS: "A retry (with appropriate backoff logic) is the recommended response". */
export const conflict = (message: string) => new AwsServiceError("ConflictException", message, 409);

/** A quota reached (HTTP 402 in the sso-admin model, ServiceQuotaExceededException). */
export const serviceQuotaExceeded = (message: string) =>
  new AwsServiceError("ServiceQuotaExceededException", message, 402);

/** An injected server fault (HTTP 500). `fields`: identitystore's `RetryAfterSeconds`. */
export const internalError = (message: string, fields: Record<string, unknown> = {}) =>
  new AwsServiceError("InternalServerException", message, 500, fields);

/** The message AWS returned once too many assignment operations were IN_PROGRESS (see limits.ts). */
export const TOO_MANY_OUTSTANDING = "There are too many requests processing. Please try again later.";
