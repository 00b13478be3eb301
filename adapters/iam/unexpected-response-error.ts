import { responseParser, UnexpectedResponseError } from "../unexpected-response-error.ts";

/**
 * IAM or STS answered with something the adapter cannot rely on (a missing user name, an unknown key
 * status...), e.g. `ListAccessKeys: AccessKeyMetadata[0].Status: ...`.
 */
export class UnexpectedIamResponseError extends UnexpectedResponseError {
  override name = "UnexpectedIamResponseError";
}

/** Validates an IAM or STS output against the shape the adapter relies on. */
export const parseIamResponse = responseParser(UnexpectedIamResponseError);
