/**
 * The errors IAM and STS answer with: each code with the HTTP status its model gives it (botocore
 * data/iam/2010-05-08 and data/sts/2011-06-15 `error.code` / `httpStatusCode`, the SDK v3 clients'
 * `awsQueryError` trait; vendored in test/fixtures/aws/models), and the API references' Common Errors
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html). Messages follow AWS's.
 */
import { AwsServiceError } from "../aws-json-protocol.ts";

export const IAM_ERROR_STATUSES: Readonly<Record<string, number>> = {
  ConcurrentModification: 409,
  DeleteConflict: 409,
  EntityAlreadyExists: 409,
  EntityTemporarilyUnmodifiable: 409,
  InvalidInput: 400,
  LimitExceeded: 409,
  MalformedPolicyDocument: 400,
  NoSuchEntity: 404,
  PasswordPolicyViolation: 400,
  ReportInProgress: 404,
  ReportNotPresent: 410,
  ServiceFailure: 500,
  UnmodifiableEntity: 400,
  // Common Errors of every Query service.
  AccessDenied: 403,
  ExpiredToken: 403,
  InvalidAction: 400,
  InvalidClientTokenId: 403,
  MissingAuthenticationToken: 403,
  ValidationError: 400,
};

export const STS_ERROR_STATUSES: Readonly<Record<string, number>> = {
  ExpiredTokenException: 400,
  MalformedPolicyDocument: 400,
  PackedPolicyTooLarge: 400,
  RegionDisabledException: 403,
  AccessDenied: 403,
  ExpiredToken: 403,
  InvalidAction: 400,
  InvalidClientTokenId: 403,
  MissingAuthenticationToken: 403,
  ValidationError: 400,
};

const error = (code: string, message: string) =>
  new AwsServiceError(code, message, IAM_ERROR_STATUSES[code] ?? STS_ERROR_STATUSES[code] ?? 400);

export const noSuchEntity = (message: string) => error("NoSuchEntity", message);
export const entityAlreadyExists = (message: string) => error("EntityAlreadyExists", message);
export const limitExceeded = (message: string) => error("LimitExceeded", message);
export const deleteConflict = (message: string) => error("DeleteConflict", message);
export const malformedPolicyDocument = (message: string) => error("MalformedPolicyDocument", message);
export const invalidInput = (message: string) => error("InvalidInput", message);
export const validationError = (message: string) => error("ValidationError", message);
export const accessDenied = (message: string) => error("AccessDenied", message);
/** A request signed with a key AWS does not know, or an inactive one (Common Errors: 403). */
export const invalidClientTokenId = () =>
  error("InvalidClientTokenId", "The security token included in the request is invalid.");
/** A request signed with temporary credentials past their expiration. */
export const expiredToken = () =>
  error("ExpiredToken", "The security token included in the request is expired");
export const missingAuthenticationToken = () =>
  error("MissingAuthenticationToken", "Request is missing Authentication Token");
