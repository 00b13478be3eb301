/**
 * The service errors Identity Center answers with, shaped as the SDK's modeled exceptions
 * (`ThrottlingException`, `ConflictException`, ...) so callers see the same `name` as against AWS.
 */
import { AwsServiceError } from "../aws-json-protocol.ts";

export { notFound, validationError } from "../aws-json-protocol.ts";

/** Rate limit or outstanding-operation limit exceeded (HTTP 400, like AWS; the SDK retries it). */
export const throttling = (message: string) => new AwsServiceError("ThrottlingException", message, 400);

/** A concurrent write conflicts; AWS: "A retry (with appropriate backoff logic) is the recommended response". */
export const conflict = (message: string) => new AwsServiceError("ConflictException", message, 400);

/** An injected server fault (HTTP 500). */
export const internalError = (message: string) =>
  new AwsServiceError("InternalServerException", message, 500);

/** The message AWS returned once too many assignment operations were IN_PROGRESS (see limits.ts). */
export const TOO_MANY_OUTSTANDING = "There are too many requests processing. Please try again later.";
