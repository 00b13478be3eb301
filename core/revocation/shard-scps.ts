import { type DenyStatement, renderPolicy, scpLength } from "./deny-statement.ts";
import { compareStatements, denyStatement, statementRank } from "./deny-statements.ts";
import { type FederatedScpStatement, federatedValues, withFederatedValues } from "./federated-denies.ts";

/**
 * Maximum size of one SCP document in characters, whitespace included ("Quotas for AWS Organizations",
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html: "Service control
 * policies: 5120 characters"). Third-party reports (citing an AWS what's-new post of May 2026,
 * "aws-organizations-increased-scp-quotas") say it was doubled to 10,240; unverified in AWS's own docs
 * here, and 5,120 stays the default since a document that fits it fits either limit.
 */
export const SCP_MAX_CHARS = 5120;

/**
 * SCPs attached directly to one root, OU or account, FullAWSAccess included (same quotas page; reported
 * doubled to 10 by the same May 2026 post). Attaching one more fails with ConstraintViolationException,
 * Reason MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED.
 */
export const SCP_MAX_PER_TARGET = 5;

export interface ShardOptions {
  /**
   * Characters one document may hold.
   * @default 5120
   */
  maxChars?: number;
  /** How many documents may be written: the SCP slots the tool has on its target. */
  maxPolicies: number;
  /**
   * Statements written first into the first document, never split nor dropped (the mass fallback,
   * core/revocation/fit-revocation-scps.ts). @default []
   */
  pinned?: readonly object[];
  /**
   * Leavers' federated-sessions Denies (federated-denies.ts), placed right after the Identity Center
   * leavers' Denies and before movers'. @default []
   */
  federated?: readonly FederatedScpStatement[];
}

export interface ShardResult {
  /** Compact JSON policy documents, each at most `maxChars` characters, in a deterministic order. */
  documents: string[];
  /** Statements (or parts of split statements) for which no document had room. */
  overflow: DenyStatement[];
  /** Federated statements (or parts) for which no document had room. */
  federatedOverflow: FederatedScpStatement[];
}

type ScpStatement = DenyStatement | FederatedScpStatement;

interface Split {
  head: ScpStatement;
  rest: ScpStatement[];
}

const isFederated = (s: ScpStatement): s is FederatedScpStatement =>
  !("StringEquals" in s.Condition && "identitystore:userId" in s.Condition.StringEquals);

/** Identity Center leavers, then federated sessions, then movers and "issued before" Denies. */
function scpOrder(a: ScpStatement, b: ScpStatement): number {
  const rank = (s: ScpStatement) => (isFederated(s) ? 0.5 : statementRank(s.Condition));
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank;
  if (!isFederated(a) && !isFederated(b)) return compareStatements(a, b);
  const [x, y] = [JSON.stringify(a.Condition), JSON.stringify(b.Condition)];
  return Number(x > y) - Number(x < y);
}

const withUsers = (s: DenyStatement, userIds: string[]) =>
  denyStatement({ ...s.Condition, StringEquals: { "identitystore:userId": userIds } });
const withRoles = (s: DenyStatement, patterns: string[]) =>
  denyStatement({ ...s.Condition, ArnLike: { "aws:PrincipalArn": patterns } });

/** The largest `k` below `n` for which `fits(k)` holds (`fits` grows monotonically false), or 0. */
function largestFittingPrefix(n: number, fits: (k: number) => boolean): number {
  let low = 0;
  let high = n - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * The statement itself when it fits; otherwise the largest part of it that fits (`head`) and what is
 * left (`rest`). Splitting keeps the meaning: a Deny on users {a, b} is the Deny on {a} plus the one on
 * {b}, and the same holds for the role patterns of one user. User lists are split first; a single user
 * whose role patterns are too many has them split. `null` when not even one user with one role fits.
 */
function splitToFit(s: ScpStatement, fits: (s: ScpStatement) => boolean): Split | null {
  if (fits(s)) return { head: s, rest: [] };
  if (isFederated(s)) {
    const values = federatedValues(s);
    const k = largestFittingPrefix(values.length, (n) => fits(withFederatedValues(s, values.slice(0, n))));
    return k > 0
      ? { head: withFederatedValues(s, values.slice(0, k)), rest: [withFederatedValues(s, values.slice(k))] }
      : null;
  }
  const users = s.Condition.StringEquals["identitystore:userId"];
  if (users.length > 1) {
    const k = largestFittingPrefix(users.length, (n) => fits(withUsers(s, users.slice(0, n))));
    if (k > 0) return { head: withUsers(s, users.slice(0, k)), rest: [withUsers(s, users.slice(k))] };
    const first = splitToFit(withUsers(s, users.slice(0, 1)), fits);
    return first && { head: first.head, rest: [...first.rest, withUsers(s, users.slice(1))] };
  }
  const roles = s.Condition.ArnLike?.["aws:PrincipalArn"] ?? [];
  const k = largestFittingPrefix(roles.length, (n) => fits(withRoles(s, roles.slice(0, n))));
  return k > 0 ? { head: withRoles(s, roles.slice(0, k)), rest: [withRoles(s, roles.slice(k))] } : null;
}

/**
 * Packs Deny statements into at most `maxPolicies` SCP documents of at most `maxChars` characters.
 * Statements are taken in `compareStatements` order (leavers first, so they are the last to overflow),
 * each document is filled before the next is started, and a statement that does not fit the room left
 * is split (its user list, or a single user's role patterns). The result depends only on the set of
 * statements, not on their order.
 */
export function shardScps(statements: readonly DenyStatement[], options: ShardOptions): ShardResult {
  const maxChars = options.maxChars ?? SCP_MAX_CHARS;
  const all: ScpStatement[] = [...statements, ...(options.federated ?? [])];
  const unique = new Map(all.map((s) => [JSON.stringify(s), s]));
  const queue = [...unique.values()].sort(scpOrder);
  const documents: object[][] = [];
  const overflow: ScpStatement[] = [];
  let current: object[] = [...(options.pinned ?? [])];
  const fitsCurrent = (s: ScpStatement) => scpLength(renderPolicy([...current, s])) <= maxChars;

  while (queue.length > 0 && documents.length < options.maxPolicies) {
    const next = queue.shift() as ScpStatement;
    const split = splitToFit(next, fitsCurrent);
    if (split) {
      current.push(split.head);
      queue.unshift(...split.rest);
    } else if (current.length === 0) {
      overflow.push(next); // too big even for an empty document
    } else {
      documents.push(current);
      current = [];
      queue.unshift(next);
    }
  }
  if (current.length > 0 && documents.length < options.maxPolicies) documents.push(current);
  const left = [...overflow, ...queue];
  return {
    documents: documents.map(renderPolicy),
    overflow: left.filter((s): s is DenyStatement => !isFederated(s)),
    federatedOverflow: left.filter(isFederated),
  };
}
