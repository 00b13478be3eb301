import type { DenyEntry } from "../estate.ts";
import { renderPolicy, scpLength } from "./deny-statement.ts";
import { denyStatements } from "./deny-statements.ts";
import { federatedEntryAtoms, federatedStatementAtoms, federatedStatements } from "./federated-denies.ts";
import { type MassFallback, massFallbackStatement, planMassFallback } from "./mass-fallback.ts";
import { type ShardResult, shardScps } from "./shard-scps.ts";

/** policy `revocation.massFallback`: whether the tool may write the fallback on its own. */
export type MassFallbackMode = "auto" | "ask";

export interface FitScpOptions {
  maxChars: number;
  maxPolicies: number;
  massFallback: MassFallbackMode;
}

export interface FitScpResult extends ShardResult {
  /** The fallback written into the first document (`auto`), or null. */
  fallback: MassFallback | null;
  /**
   * Users with Denies no SCP holds and no fallback covers (`ask`, or no document could hold even the
   * fallback), sorted: their member-account sessions are not denied until they expire.
   */
  uncovered: string[];
}

/**
 * The revocation SCP documents for the Denies in force. Denies are sharded (shard-scps.ts); when some
 * fit in no document and the policy allows it (`auto`), the first document starts with the mass
 * fallback (mass-fallback.ts) and T covers every user left over after the fallback took its room.
 * T is rendered at a fixed length, so the statement computed from the final overflow has the size of
 * the one that was sharded with.
 */
export function fitRevocationScps(denies: readonly DenyEntry[], options: FitScpOptions): FitScpResult {
  const statements = denyStatements(denies);
  const sharding = { ...options, federated: federatedStatements(denies) };
  const plain = shardScps(statements, sharding);
  const needed = planMassFallback(denies, plain.overflow);
  if (needed === null) return { ...plain, fallback: null, uncovered: federatedUncovered(denies, plain) };
  const pinned = massFallbackStatement(needed.issuedBefore);
  if (
    options.massFallback === "ask" ||
    options.maxPolicies === 0 ||
    scpLength(renderPolicy([pinned])) > options.maxChars
  )
    return {
      ...plain,
      fallback: null,
      uncovered: sortedUnion(needed.userIds, federatedUncovered(denies, plain)),
    };
  const withFallback = shardScps(statements, { ...sharding, pinned: [pinned] });
  // Both overflows: the fallback's room pushes more out, and a later T only denies more.
  const fallback = planMassFallback(denies, [...plain.overflow, ...withFallback.overflow]) as MassFallback;
  const final = shardScps(statements, {
    ...sharding,
    pinned: [massFallbackStatement(fallback.issuedBefore)],
  });
  return { ...final, fallback, uncovered: federatedUncovered(denies, final) };
}

/**
 * The federated-sessions entries (`okta:<id>`) with a statement no document holds: the mass fallback
 * only covers Identity Center roles, so these sessions stay until they expire.
 */
function federatedUncovered(denies: readonly DenyEntry[], fit: ShardResult): string[] {
  if (fit.federatedOverflow.length === 0) return [];
  const left = federatedStatementAtoms(fit.federatedOverflow);
  const users = denies
    .filter((d) => federatedEntryAtoms(d).some((atom) => left.has(atom)))
    .map((d) => d.userId);
  return sortedUnion(users, []);
}

const sortedUnion = (a: readonly string[], b: readonly string[]) =>
  [...new Set([...a, ...b])].sort((x, y) => Number(x > y) - Number(x < y));
