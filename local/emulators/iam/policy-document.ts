/**
 * What IAM checks of a policy document it stores (inline user and role policies, trust policies): it
 * is JSON with a `Statement` (MalformedPolicyDocument otherwise: "This policy contains invalid Json"),
 * and it fits the account's quotas (IAM User Guide, "IAM and AWS STS quotas": the aggregate of a user's
 * inline policies at most 2,048 characters, of a role's 10,240, a trust policy 2,048 by default;
 * whitespace does not count). Over a quota, IAM answers LimitExceeded.
 */
import { limitExceeded, malformedPolicyDocument } from "./errors.ts";

export const USER_POLICY_SIZE = 2_048;
export const ROLE_POLICY_SIZE = 10_240;
export const TRUST_POLICY_SIZE = 2_048;

/** The characters a quota counts: the document without whitespace. */
export const policySize = (document: string) => document.replace(/\s/g, "").length;

export function checkPolicyDocument(document: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw malformedPolicyDocument("This policy contains invalid Json");
  }
  if (typeof parsed !== "object" || parsed === null || !("Statement" in parsed)) {
    throw malformedPolicyDocument("Syntax errors in policy.");
  }
}

/** LimitExceeded when the documents together pass `quota` (named as AWS names it in the message). */
export function checkAggregateSize(documents: Iterable<string>, quota: number, quotaName: string): void {
  let total = 0;
  for (const document of documents) total += policySize(document);
  if (total > quota) throw limitExceeded(`Cannot exceed quota for ${quotaName}: ${quota}`);
}
