import type { DenyEntry } from "../estate.ts";
import { renderPolicy, scpLength } from "./deny-statement.ts";
import { denyStatements } from "./deny-statements.ts";
import { federatedStatements } from "./federated-denies.ts";
import {
  type FederatedMassFallback,
  federatedMassFallbackStatement,
  planFederatedMassFallback,
} from "./federated-mass-fallback.ts";
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
  /** The federated fallback written into the first document (`auto`), or null. */
  federatedFallback: FederatedMassFallback | null;
  /**
   * Users with Denies no SCP holds and no fallback covers (`ask`, or no document could hold even the
   * fallback), sorted: their member-account sessions are not denied until they expire.
   */
  uncovered: string[];
}

/**
 * The revocation SCP documents for the Denies in force. Denies are sharded (shard-scps.ts); when some
 * fit in no document and the policy allows it (`auto`), the first document starts with the mass
 * fallbacks: Identity Center roles (mass-fallback.ts) and, for federated-session Denies, the
 * Okta-trusting roles (federated-mass-fallback.ts). Their room pushes more Denies out, so they are
 * re-planned over every overflow seen until they stop changing: T and the sets only grow, so this ends,
 * and a later T only denies more. A fallback that does not fit in a document is left out (the federated
 * one first) and its users reported uncovered.
 */
export function fitRevocationScps(denies: readonly DenyEntry[], options: FitScpOptions): FitScpResult {
  const statements = denyStatements(denies);
  const sharding = { ...options, federated: federatedStatements(denies) };
  const plain = shardScps(statements, sharding);
  const allowed = { ic: options.massFallback === "auto", federated: options.massFallback === "auto" };
  const seen = { overflow: [...plain.overflow], federated: [...plain.federatedOverflow] };
  let fit = plain;
  let written = "[]";
  for (;;) {
    const ic = allowed.ic ? planMassFallback(denies, seen.overflow) : null;
    const federated = allowed.federated ? planFederatedMassFallback(denies, seen.federated).fallback : null;
    const pinned = [
      ...(ic ? [massFallbackStatement(ic.issuedBefore)] : []),
      ...(federated ? [federatedMassFallbackStatement(federated)] : []),
    ];
    if (
      pinned.length > 0 &&
      (options.maxPolicies === 0 || scpLength(renderPolicy(pinned)) > options.maxChars)
    ) {
      if (federated) allowed.federated = false;
      else allowed.ic = false;
      continue;
    }
    const key = JSON.stringify(pinned);
    if (key === written)
      return {
        ...fit,
        fallback: ic,
        federatedFallback: federated,
        uncovered: uncoveredUsers(denies, fit, ic, federated),
      };
    fit = shardScps(statements, { ...sharding, pinned });
    seen.overflow.push(...fit.overflow);
    seen.federated.push(...fit.federatedOverflow);
    written = key;
  }
}

/** Users with a Deny the documents do not hold and no fallback written covers. */
function uncoveredUsers(
  denies: readonly DenyEntry[],
  fit: ShardResult,
  ic: MassFallback | null,
  federated: FederatedMassFallback | null,
): string[] {
  const icLeft = ic === null ? (planMassFallback(denies, fit.overflow)?.userIds ?? []) : [];
  const federatedLeft = planFederatedMassFallback(denies, fit.federatedOverflow);
  const covered = new Set(federated?.userIds ?? []);
  const federatedUsers = [
    ...federatedLeft.uncovered,
    ...(federatedLeft.fallback?.userIds ?? []).filter((u) => !covered.has(u)),
  ];
  return sortedUnion(icLeft, federatedUsers);
}

const sortedUnion = (a: readonly string[], b: readonly string[]) =>
  [...new Set([...a, ...b])].sort((x, y) => Number(x > y) - Number(x < y));
