import type { DenyEntry } from "../estate.ts";
import { denyStatements } from "./deny-statements.ts";
import { federatedStatements } from "./federated-denies.ts";
import { shardScps } from "./shard-scps.ts";

/** An Identity Store user id: 10 hexadecimal characters, `-`, then a UUID (47 characters). */
export const IDENTITY_STORE_USER_ID_LENGTH = 47;

export interface HeadroomOptions {
  maxChars: number;
  /** The slots the tool may fill: attached ones, and detached ones the target has places for. */
  maxPolicies: number;
}

/** A made-up leaver of the real id length; `~` sorts after every hex id, so they never interleave. */
function extraLeaver(n: number): DenyEntry {
  const id = `~${String(n).padStart(IDENTITY_STORE_USER_ID_LENGTH - 1, "0")}`;
  return { userId: id, scope: "all", reason: "leaver", createdAt: "", expiresAt: "" };
}

const fits = (denies: readonly DenyEntry[], options: HeadroomOptions) => {
  const fit = shardScps(denyStatements(denies), { ...options, federated: federatedStatements(denies) });
  return fit.overflow.length === 0 && fit.federatedOverflow.length === 0;
};

/**
 * How many more leavers' Denies fit in the slots next to the Denies in force, at the current encoding
 * (shard-scps.ts, exact: it shards them). 0 when the Denies in force already overflow.
 */
export function leaverHeadroom(inForce: readonly DenyEntry[], options: HeadroomOptions): number {
  if (!fits(inForce, options)) return 0;
  // Each id takes at least its characters plus two quotes and a comma.
  let high = Math.floor((options.maxChars * options.maxPolicies) / (IDENTITY_STORE_USER_ID_LENGTH + 3)) + 1;
  let low = 0;
  const withExtra = (k: number) => [...inForce, ...Array.from({ length: k }, (_, i) => extraLeaver(i))];
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(withExtra(middle), options)) low = middle;
    else high = middle - 1;
  }
  return low;
}
