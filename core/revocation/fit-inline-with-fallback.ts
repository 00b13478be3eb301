import type { DenyEntry } from "../estate.ts";
import { fitInlineDenies, type InlineFit, type InlineTarget } from "./fit-inline-denies.ts";
import type { MassFallbackMode } from "./fit-revocation-scps.ts";
import { INLINE_POLICY_MAX_CHARS } from "./inline-policy-errors.ts";
import {
  fallbackInstant,
  type InlineMassFallbackStatement,
  inlineMassFallbackStatement,
  type MassFallback,
} from "./mass-fallback.ts";
import { mergeInlineDeny } from "./merge-inline-deny.ts";

export interface InlineFitWithFallback extends InlineFit {
  /** The fallback written first into the inline policy (`auto`), with the users it stands for; or null. */
  fallback: MassFallback | null;
}

/** Whether the fallback fits next to the customer's own statements (T has a fixed length). */
function fitsAlone(existingInline: string | null, statement: InlineMassFallbackStatement, limit: number) {
  try {
    mergeInlineDeny(existingInline, [statement], limit);
    return true;
  } catch {
    // The plain fit already parsed this policy: only InlinePolicyTooLargeError is left to throw.
    return false;
  }
}

const usersOf = (denies: readonly DenyEntry[]) => [...new Set(denies.map((d) => d.userId))].sort();

/**
 * fitInlineDenies, and when Denies are dropped and the policy allows it (`auto`), the mass fallback for
 * this permission set (mass-fallback.ts): its sessions issued before T are denied, T covering every
 * Deny left out once the fallback took its room. When not even the fallback fits (the customer's own
 * statements fill the policy), the plain fit is kept and its drops reported.
 */
export function fitInlineWithFallback(
  existingInline: string | null,
  denies: readonly DenyEntry[],
  target: InlineTarget,
  mode: MassFallbackMode,
  limit = INLINE_POLICY_MAX_CHARS,
): InlineFitWithFallback {
  const plain = fitInlineDenies(existingInline, denies, target, limit);
  if (mode === "ask" || plain.dropped.length === 0) return { ...plain, fallback: null };
  const first = inlineMassFallbackStatement(fallbackInstant(plain.dropped) as string);
  if (!fitsAlone(existingInline, first, limit)) return { ...plain, fallback: null };
  const trial = fitInlineDenies(existingInline, denies, target, limit, [first]);
  // Both drops: the fallback's room pushes more out, and a later T only denies more.
  const left = [...plain.dropped, ...trial.dropped];
  const issuedBefore = fallbackInstant(left) as string;
  const final = fitInlineDenies(existingInline, denies, target, limit, [
    inlineMassFallbackStatement(issuedBefore),
  ]);
  return {
    document: final.document,
    placed: final.placed,
    dropped: [],
    fallback: { issuedBefore, userIds: usersOf(left) },
  };
}
