import type { DenyEntry } from "../estate.ts";
import { TOOL_SID_PREFIX } from "./deny-statement.ts";
import {
  type FederatedScpStatement,
  federatedEntryAtoms,
  federatedStatementAtoms,
} from "./federated-denies.ts";
import { fallbackInstant } from "./mass-fallback.ts";
import { storedStatements } from "./stored-statements.ts";

/*
 * The O(1) fallback for leavers' federated-session Denies that fit in no SCP (issues 16 and 17): one
 * statement denying every session of the Okta-trusting roles issued before an instant T. A role
 * session's `aws:PrincipalArn` is the ARN of the role it was assumed from, path included, not the
 * assumed-role ARN (IAM User Guide, "AWS global condition context keys", aws:PrincipalArn);
 * `aws:TokenIssueTime` is when its credentials were issued (the same guide, and "Revoking IAM role
 * temporary security credentials", which denies with DateLessThan on it). A role's path and name are
 * the same in every account of a StackSet-deployed federation, so one `arn:*:iam::*:role/<path><name>`
 * pattern per distinct path and name covers them all (ArnLike: `*` matches within a segment, `/`
 * included). It also reaches a same-named role that does not trust Okta: its sessions issued before T
 * end too, and their holders sign in again; that is the price of a statement whose size does not grow
 * with the accounts. Everyone federated signs in again through Okta; leavers cannot, since Okta
 * deactivated them before their Deny was recorded (T is the latest of those instants).
 */

/** The Sid of the federated fallback statement: the tool's prefix, so only the tool rewrites it. */
export const FEDERATED_MASS_FALLBACK_SID = `${TOOL_SID_PREFIX}FederatedMassFallback`;

/** The federated fallback as written into the first revocation SCP. */
export interface FederatedMassFallbackStatement {
  Sid: string;
  Effect: "Deny";
  Action: "*";
  Resource: "*";
  Condition: {
    ArnLike: { "aws:PrincipalArn": string[] };
    DateLessThan: { "aws:TokenIssueTime": string };
  };
}

/** When the federated fallback is needed: T, the role patterns it denies, and the leavers it stands for. */
export interface FederatedMassFallback {
  /** ISO 8601 with milliseconds. */
  issuedBefore: string;
  /** `arn:*:iam::*:role/<path><name>` for each Okta-trusting role the covered entries recorded, sorted. */
  rolePatterns: string[];
  /** The federated-sessions ledger users (`okta:<id>`) it covers, sorted. */
  userIds: string[];
}

/** What the overflowing federated statements need: the fallback (or null) and the leavers it cannot cover. */
export interface FederatedFallbackPlan {
  fallback: FederatedMassFallback | null;
  /** Entries with no role recorded (the fallback would not know whose sessions to deny), sorted. */
  uncovered: string[];
}

const ROLE_ARN = /^arn:[^:]+:iam::\d{12}:role\/(.+)$/;

/** The account- and partition-independent pattern of an IAM role ARN (its path and name kept). */
export function federatedRolePattern(roleArn: string): string {
  const pathAndName = ROLE_ARN.exec(roleArn)?.[1];
  if (pathAndName === undefined)
    throw new Error(
      `Okta-trusting role ${JSON.stringify(roleArn)} is not an IAM role ARN (arn:<partition>:iam::<12-digit account>:role/<path><name>): fix the discovery that recorded it`,
    );
  return `arn:*:iam::*:role/${pathAndName}`;
}

/** The Okta-trusting roles a ledger entry recorded (none for an Identity Center entry or an older one). */
export function federatedEntryRoles(deny: DenyEntry): string[] {
  return deny.federated?.roleArns ?? [];
}

const byCodeUnits = (a: string, b: string) => Number(a > b) - Number(a < b);
const sortedUnique = (values: Iterable<string>) => [...new Set(values)].sort(byCodeUnits);

export function federatedMassFallbackStatement(
  fallback: FederatedMassFallback,
): FederatedMassFallbackStatement {
  return {
    Sid: FEDERATED_MASS_FALLBACK_SID,
    Effect: "Deny",
    Action: "*",
    Resource: "*",
    Condition: {
      ArnLike: { "aws:PrincipalArn": fallback.rolePatterns },
      DateLessThan: { "aws:TokenIssueTime": fallback.issuedBefore },
    },
  };
}

/**
 * The federated fallback for the entries with a value in `overflow` (federated statements no SCP had
 * room for). Entries that recorded no Okta-trusting role cannot be covered and are returned as such.
 */
export function planFederatedMassFallback(
  denies: readonly DenyEntry[],
  overflow: readonly FederatedScpStatement[],
): FederatedFallbackPlan {
  const left = federatedStatementAtoms(overflow);
  const needed = denies.filter((d) => federatedEntryAtoms(d).some((atom) => left.has(atom)));
  const covered = needed.filter((d) => federatedEntryRoles(d).length > 0);
  const uncovered = sortedUnique(
    needed.filter((d) => federatedEntryRoles(d).length === 0).map((d) => d.userId),
  );
  const issuedBefore = fallbackInstant(covered);
  if (issuedBefore === null) return { fallback: null, uncovered };
  return {
    fallback: {
      issuedBefore,
      rolePatterns: sortedUnique(covered.flatMap(federatedEntryRoles).map(federatedRolePattern)),
      userIds: sortedUnique(covered.map((d) => d.userId)),
    },
    uncovered,
  };
}

/**
 * Whether a stored policy holds the tool's federated fallback denying the sessions of every role in
 * `roleArns` issued before `instant` (T at or after it, a pattern for each role). Lenient: what is not
 * JSON or not shaped like the fallback covers nothing.
 */
export function federatedFallbackCovers(
  policyText: string,
  roleArns: readonly string[],
  instant: string,
): boolean {
  return storedStatements(policyText).some((statement) => {
    const s = statement as Partial<FederatedMassFallbackStatement> | undefined;
    const t = s?.Condition?.DateLessThan?.["aws:TokenIssueTime"];
    const patterns = s?.Condition?.ArnLike?.["aws:PrincipalArn"];
    return (
      s?.Sid === FEDERATED_MASS_FALLBACK_SID &&
      s.Effect === "Deny" &&
      typeof t === "string" &&
      Date.parse(t) >= Date.parse(instant) &&
      Array.isArray(patterns) &&
      roleArns.length > 0 &&
      roleArns.every((arn) => ROLE_ARN.test(arn) && patterns.includes(federatedRolePattern(arn)))
    );
  });
}
