import { describe, expect, it } from "vitest";
import type { DenyEntry } from "../../../core/estate.ts";
import { renderPolicy, scpLength } from "../../../core/revocation/deny-statement.ts";
import { denyStatements } from "../../../core/revocation/deny-statements.ts";
import { IDENTITY_STORE_USER_ID_LENGTH, leaverHeadroom } from "../../../core/revocation/scp-headroom.ts";
import { shardScps } from "../../../core/revocation/shard-scps.ts";
import { leaver, mover } from "./revocation-builders.ts";

/** A real-length Identity Store user id (47 characters). */
const storeId = (n: number) => `906752d7c7-${n.toString(16).padStart(8, "0")}-1111-2222-3333-444455556666`;
const leavers = (n: number, from = 0): DenyEntry[] =>
  Array.from({ length: n }, (_, i) => leaver(storeId(from + i)));
const fits = (denies: DenyEntry[], maxChars: number, maxPolicies: number) =>
  shardScps(denyStatements(denies), { maxChars, maxPolicies }).overflow.length === 0;

describe("leaverHeadroom", () => {
  it("is exact: the headroom fits, one more does not", () => {
    for (const [inForce, maxChars, maxPolicies] of [
      [0, 5120, 1],
      [30, 5120, 2],
      [10, 1000, 3],
    ] as const) {
      const denies = leavers(inForce);
      const room = leaverHeadroom(denies, { maxChars, maxPolicies });
      expect(fits([...denies, ...leavers(room, 1000)], maxChars, maxPolicies)).toBe(true);
      expect(fits([...denies, ...leavers(room + 1, 1000)], maxChars, maxPolicies)).toBe(false);
    }
  });

  it("counts movers' room too, and is 0 when the Denies in force already overflow", () => {
    const movers = [mover(storeId(1), "Admin", ["111111111111", "222222222222"])];
    expect(leaverHeadroom(movers, { maxChars: 5120, maxPolicies: 1 })).toBeLessThan(
      leaverHeadroom([], { maxChars: 5120, maxPolicies: 1 }),
    );
    expect(leaverHeadroom(leavers(200), { maxChars: 5120, maxPolicies: 1 })).toBe(0);
  });

  it("measures the encoding: ids per 5,120-character SCP", () => {
    // One statement, ids grouped under one identitystore:userId condition, compact JSON.
    const perScp = leaverHeadroom([], { maxChars: 5120, maxPolicies: 1 });
    const doc = shardScps(denyStatements(leavers(perScp)), { maxChars: 5120, maxPolicies: 1 }).documents[0];
    expect(storeId(0)).toHaveLength(IDENTITY_STORE_USER_ID_LENGTH);
    expect(scpLength(doc as string)).toBeLessThanOrEqual(5120);
    expect(perScp).toBe(
      Math.floor((5120 - scpLength(renderPolicy(denyStatements([leaver(storeId(0))])))) / 50) + 1,
    );
  });
});
