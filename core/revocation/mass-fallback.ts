import type { DenyEntry } from "../estate.ts";
import { statementAtoms } from "./deny-atoms.ts";
import type { DenyStatement } from "./deny-statement.ts";
import { TOOL_SID_PREFIX } from "./deny-statement.ts";
import { storedStatements } from "./stored-statements.ts";

/*
 * The O(1) fallback for Denies that fit in no SCP (issue 17): one statement denying every Identity
 * Center role session issued before an instant T. A session of a permission set is a session of the
 * role Identity Center creates for it under the reserved path `aws-reserved/sso.amazonaws.com/`
 * (IAM Identity Center User Guide, "Referencing permission sets in resource policies",
 * referencingpermissionsets.html; the region segment is absent in us-east-1, see deny-statement.ts,
 * hence `sso.amazonaws.com*` where `*` also matches `/`). `aws:TokenIssueTime` is the instant the
 * session's credentials were issued (IAM User Guide, "Revoking IAM role temporary security
 * credentials" uses the same DateLessThan condition). Everyone signs in again through Okta; leavers
 * cannot, since Okta deactivated them before their Deny was recorded.
 */

/** Every Identity Center permission-set role, in every account and partition. */
export const IDENTITY_CENTER_ROLES = "arn:*:iam::*:role/aws-reserved/sso.amazonaws.com*/AWSReservedSSO_*";

/** The Sid of the fallback statement: it carries the tool's prefix, so only the tool rewrites it. */
export const MASS_FALLBACK_SID = `${TOOL_SID_PREFIX}MassFallback`;

/** The fallback as written: Deny everything to Identity Center sessions issued before `T`. */
export interface MassFallbackStatement {
  Sid: string;
  Effect: "Deny";
  Action: "*";
  Resource: "*";
  Condition: {
    ArnLike: { "aws:PrincipalArn": string };
    DateLessThan: { "aws:TokenIssueTime": string };
  };
}

/**
 * The fallback in one permission set's inline policy (the management account, where SCPs never apply):
 * the policy only governs that set's role, so the issue time alone is the condition.
 */
export interface InlineMassFallbackStatement {
  Sid: string;
  Effect: "Deny";
  Action: "*";
  Resource: "*";
  Condition: { DateLessThan: { "aws:TokenIssueTime": string } };
}

export function inlineMassFallbackStatement(issuedBefore: string): InlineMassFallbackStatement {
  return {
    Sid: MASS_FALLBACK_SID,
    Effect: "Deny",
    Action: "*",
    Resource: "*",
    Condition: { DateLessThan: { "aws:TokenIssueTime": issuedBefore } },
  };
}

/**
 * The instant T a fallback needs for these Denies (the latest of their "issued before" instants or,
 * for the others, the instants they were recorded), rendered at a fixed length; null for none.
 */
export function fallbackInstant(denies: readonly DenyEntry[]): string | null {
  let latest = Number.NEGATIVE_INFINITY;
  for (const deny of denies) {
    const needed = Date.parse(deny.issuedBefore ?? deny.createdAt);
    if (Number.isNaN(needed))
      throw new Error(
        `deny of ${deny.userId}: ${deny.issuedBefore === undefined ? "createdAt" : "issuedBefore"} is not an ISO 8601 instant`,
      );
    latest = Math.max(latest, needed);
  }
  return latest === Number.NEGATIVE_INFINITY ? null : new Date(latest).toISOString();
}

/** When the fallback is needed: the instant T and every user whose Denies it stands for. */
export interface MassFallback {
  /** ISO 8601 with milliseconds (always 24 characters, so the statement's size never depends on T). */
  issuedBefore: string;
  /** The users with Denies that fit in no SCP, sorted. */
  userIds: string[];
}

export function massFallbackStatement(issuedBefore: string): MassFallbackStatement {
  return {
    Sid: MASS_FALLBACK_SID,
    Effect: "Deny",
    Action: "*",
    Resource: "*",
    Condition: {
      ArnLike: { "aws:PrincipalArn": IDENTITY_CENTER_ROLES },
      DateLessThan: { "aws:TokenIssueTime": issuedBefore },
    },
  };
}

/**
 * The fallback covering the users of `overflow` (statements no SCP had room for), or null when none.
 * T is the latest instant one of their Denies needs: a Deny of every session needs the sessions issued
 * before it was recorded (the user was deactivated in Okta before that), an "issued before" Deny its own
 * instant. A later T only denies more, so the latest covers them all.
 */
export function planMassFallback(
  denies: readonly DenyEntry[],
  overflow: readonly DenyStatement[],
): MassFallback | null {
  const users = new Set([...statementAtoms(overflow)].map((atom) => atom.split("|")[0] as string));
  if (users.size === 0) return null;
  const issuedBefore = fallbackInstant(denies.filter((deny) => users.has(deny.userId)));
  if (issuedBefore === null)
    throw new Error(
      "overflowing Deny statements name users with no Deny entry: pass the entries they were built from",
    );
  return { issuedBefore, userIds: [...users].sort() };
}

/**
 * Whether a stored policy holds the tool's fallback denying every session issued before `instant`
 * (T at or after it). Lenient: what is not JSON or not shaped like the fallback covers nothing.
 */
export function fallbackCovers(policyText: string, instant: string): boolean {
  return storedStatements(policyText).some((statement) => {
    const s = statement as Partial<MassFallbackStatement> | undefined;
    const t = s?.Condition?.DateLessThan?.["aws:TokenIssueTime"];
    return (
      s?.Sid === MASS_FALLBACK_SID &&
      s.Effect === "Deny" &&
      typeof t === "string" &&
      Date.parse(t) >= Date.parse(instant)
    );
  });
}
