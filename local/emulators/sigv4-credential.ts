/**
 * The access key id a request was signed with. SigV4 puts it first in the `Credential` of the
 * `Authorization` header: `AWS4-HMAC-SHA256 Credential=<AccessKeyId>/<date>/<region>/<service>/aws4_request,
 * SignedHeaders=..., Signature=...` (AWS General Reference, "Elements of an AWS API request signature").
 * The emulators do not verify signatures: they only learn who is calling.
 */
const CREDENTIAL = /Credential=([^/,\s]+)\//;

export function accessKeyIdOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined || !authorization.startsWith("AWS4-")) return undefined;
  return CREDENTIAL.exec(authorization)?.[1];
}
