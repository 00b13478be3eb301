import { responseParser, UnexpectedResponseError } from "../unexpected-response-error.ts";

/** Identity Center (sso-admin, identitystore) answered with something the adapter cannot rely on. */
export class UnexpectedIdentityCenterResponseError extends UnexpectedResponseError {
  override name = "UnexpectedIdentityCenterResponseError";
}

/** Validates an sso-admin or identitystore output against the shape the adapter relies on. */
export const parseResponse = responseParser(UnexpectedIdentityCenterResponseError);
