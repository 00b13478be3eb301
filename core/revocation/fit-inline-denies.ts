import type { DenyEntry } from "../estate.ts";
import { denyStatements } from "./deny-statements.ts";
import { INLINE_POLICY_MAX_CHARS, InlinePolicyTooLargeError } from "./inline-policy-errors.ts";
import type { InlineMassFallbackStatement } from "./mass-fallback.ts";
import { mergeInlineDeny } from "./merge-inline-deny.ts";

/** One permission set provisioned to the management account, where SCPs never apply. */
export interface InlineTarget {
  permissionSetName: string;
  accountId: string;
}

/** The inline policy of one permission set, with the Denies that fit and the ones left out. */
export interface InlineFit {
  /** The merged document, `null` when nothing is left (remove the inline policy). */
  document: string | null;
  placed: DenyEntry[];
  /** Denies that did not fit in the 10,240 characters, lowest priority first to go. */
  dropped: DenyEntry[];
}

/**
 * Whether a Deny can matter to sessions of this permission set in this account: a whole-user Deny
 * always; a mover's only when it names this permission set in this account (a role session is only
 * governed by its own permission set's policies, so it belongs in no other set's inline policy).
 */
export function concernsTarget(deny: DenyEntry, target: InlineTarget): boolean {
  // Federated sessions are no permission set's: their Deny lives in the SCPs and on Okta-trusting roles.
  if (deny.federated !== undefined) return false;
  return (
    deny.scope === "all" ||
    (deny.scope.permissionSetName === target.permissionSetName &&
      deny.scope.accountIds.includes(target.accountId))
  );
}

/**
 * Priority of a Deny when room is short (issue 12): a leaver's whole-user Deny first, as it must never
 * be left out; then attribute-change and mover Denies. Lower is more important.
 */
function priority(deny: DenyEntry): number {
  if (deny.scope === "all" && deny.issuedBefore === undefined) return 0;
  return deny.issuedBefore === undefined ? 2 : 1;
}

/**
 * Only the latest "issued before" Deny of each user counts: denying sessions issued before T2 also
 * denies those issued before any earlier T1.
 */
function latestIssuedBefore(denies: readonly DenyEntry[]): DenyEntry[] {
  const latest = new Map<string, string>();
  for (const d of denies)
    if (d.issuedBefore !== undefined && d.issuedBefore > (latest.get(d.userId) ?? ""))
      latest.set(d.userId, d.issuedBefore);
  return denies.filter((d) => d.issuedBefore === undefined || d.issuedBefore === latest.get(d.userId));
}

const order = (a: DenyEntry, b: DenyEntry) =>
  priority(a) - priority(b) ||
  Number(a.createdAt > b.createdAt) - Number(a.createdAt < b.createdAt) ||
  Number(a.userId > b.userId) - Number(a.userId < b.userId);

/**
 * The permission set's inline policy with as many of the Denies that concern it as fit, by priority,
 * and the customer's own statements kept. A Deny that would push the policy past the limit is left
 * out (and reported), never a reason to fail: the caller records a finding and raises an alarm.
 *
 * @throws InvalidInlinePolicyError when the existing policy is not a JSON policy document.
 */
export function fitInlineDenies(
  existingInline: string | null,
  denies: readonly DenyEntry[],
  target: InlineTarget,
  limit = INLINE_POLICY_MAX_CHARS,
  /** Statements written before the Denies, never dropped (the mass fallback). @default [] */
  pinned: readonly InlineMassFallbackStatement[] = [],
): InlineFit {
  const relevant = denies.filter((d) => concernsTarget(d, target));
  const candidates = latestIssuedBefore(relevant).sort(order);
  const superseded = relevant.filter((d) => !candidates.includes(d));
  const placed: DenyEntry[] = [];
  const dropped: DenyEntry[] = [];
  // Inline in this account, a mover's Deny only needs this account's role pattern: narrowing it lets
  // every mover of the set share one statement.
  const narrow = (d: DenyEntry): DenyEntry =>
    d.scope === "all" ? d : { ...d, scope: { ...d.scope, accountIds: [target.accountId] } };
  // The merged document, or `null` when it would exceed the limit (any other error is thrown).
  const render = (entries: readonly DenyEntry[]): { document: string | null } | null => {
    try {
      const statements = [...pinned, ...denyStatements(entries.map(narrow))];
      return { document: mergeInlineDeny(existingInline, statements, limit) };
    } catch (error) {
      if (error instanceof InlinePolicyTooLargeError) return null;
      throw error;
    }
  };
  const empty = render([]);
  // The customer's own statements leave no room at all: change nothing, place nothing.
  if (empty === null) return { document: existingInline, placed: [], dropped: [...relevant] };
  let document = empty.document;
  for (const deny of candidates) {
    const next = render([...placed, deny]);
    if (next === null) dropped.push(deny);
    else {
      document = next.document;
      placed.push(deny);
    }
  }
  // Superseded Denies are covered by a later one of the same user when that one was placed.
  for (const d of superseded)
    (placed.some((p) => p.userId === d.userId && p.issuedBefore !== undefined) ? placed : dropped).push(d);
  return { document, placed, dropped };
}
