import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DenyEntry } from "../../../core/estate.ts";
import { policyAtoms } from "../../../core/revocation/deny-atoms.ts";
import { renderPolicy, scpLength } from "../../../core/revocation/deny-statement.ts";
import { fitRevocationScps } from "../../../core/revocation/fit-revocation-scps.ts";
import {
  fallbackCovers,
  MASS_FALLBACK_SID,
  massFallbackStatement,
  planMassFallback,
} from "../../../core/revocation/mass-fallback.ts";
import { EXPIRES, leaver, parsePolicy, userId } from "./revocation-builders.ts";

const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) };

const leaverAt = (n: number, createdAt: string): DenyEntry => ({ ...leaver(userId(n)), createdAt });
const minute = (m: number) => new Date(Date.UTC(2026, 5, 1, 12, m)).toISOString();
/** The users some statement of the documents denies (the fallback names none). */
const userIdsIn = (documents: readonly string[]) =>
  new Set(documents.flatMap((d) => [...policyAtoms(d)].map((atom) => atom.split("|")[0] as string)));
const layoff = (count: number) => Array.from({ length: count }, (_, i) => leaverAt(i, minute(i % 50)));

describe("fitRevocationScps", () => {
  it("writes no fallback when every Deny fits", () => {
    // Act
    const fit = fitRevocationScps(layoff(3), { maxChars: 5120, maxPolicies: 1, massFallback: "auto" });
    // Assess
    expect(fit).toMatchObject({ fallback: null, uncovered: [], overflow: [] });
    expect(userIdsIn(fit.documents)).toEqual(new Set([userId(0), userId(1), userId(2)]));
  });

  it("with ask, names the users that fit nowhere and writes only what fits", () => {
    // Act
    const fit = fitRevocationScps(layoff(40), { maxChars: 1000, maxPolicies: 2, massFallback: "ask" });
    // Assess
    const inScps = userIdsIn(fit.documents);
    expect(fit.fallback).toBeNull();
    expect(fit.uncovered.length).toBe(40 - inScps.size);
    expect(fit.uncovered.every((u) => !inScps.has(u))).toBe(true);
  });

  it("with auto, starts the first slot with the fallback whose T covers every user left out", () => {
    // Act
    const denies = layoff(40);
    const fit = fitRevocationScps(denies, { maxChars: 1000, maxPolicies: 2, massFallback: "auto" });
    // Assess
    const first = parsePolicy(fit.documents[0] as string).Statement[0];
    expect(first).toEqual(massFallbackStatement(fit.fallback?.issuedBefore as string));
    const inScps = userIdsIn(fit.documents);
    const covered = new Set(fit.fallback?.userIds);
    for (const deny of denies) expect(inScps.has(deny.userId) || covered.has(deny.userId)).toBe(true);
    const latestLeftOut = denies
      .filter((d) => covered.has(d.userId))
      .map((d) => d.createdAt)
      .sort()
      .at(-1);
    expect(fit.fallback?.issuedBefore).toBe(latestLeftOut);
    expect(fit.documents.every((d) => scpLength(d) <= 1000)).toBe(true);
  });

  it("leaves users uncovered when not even the fallback fits a document", () => {
    // Act
    const tiny = fitRevocationScps(layoff(5), { maxChars: 250, maxPolicies: 1, massFallback: "auto" });
    const none = fitRevocationScps(layoff(5), { maxChars: 5120, maxPolicies: 0, massFallback: "auto" });
    // Assess
    expect(tiny.fallback).toBeNull();
    expect(tiny.uncovered.length).toBeGreaterThan(0);
    expect(none).toMatchObject({ documents: [], fallback: null });
    expect(none.uncovered).toHaveLength(5);
  });

  it("property: every leaver is in a slot or under the fallback, and slots keep their limits", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 600, max: 5120 }),
        fc.integer({ min: 1, max: 4 }),
        (users, maxChars, maxPolicies) => {
          const denies = users.map((n) => leaverAt(n, minute(n % 59)));
          const fit = fitRevocationScps(denies, { maxChars, maxPolicies, massFallback: "auto" });
          expect(fit.documents.length).toBeLessThanOrEqual(maxPolicies);
          expect(fit.documents.every((d) => scpLength(d) <= maxChars)).toBe(true);
          const held = userIdsIn(fit.documents);
          for (const deny of denies) {
            if (held.has(deny.userId)) continue;
            expect(fit.fallback?.userIds).toContain(deny.userId);
            expect(deny.createdAt <= (fit.fallback?.issuedBefore as string)).toBe(true);
          }
          const sids = fit.documents.flatMap((d) => parsePolicy(d).Statement.map((s) => s.Sid));
          expect(sids.filter((s) => s === MASS_FALLBACK_SID).length).toBe(fit.fallback ? 1 : 0);
        },
      ),
      RUNS,
    );
  });
});

describe("planMassFallback", () => {
  it("takes an attribute change's own instant, and refuses instants it cannot read", () => {
    // Prepare
    const issued: DenyEntry = {
      userId: userId(1),
      scope: "all",
      issuedBefore: "2026-06-01T15:00:00Z",
      reason: "attribute-change",
      createdAt: minute(0),
      expiresAt: EXPIRES,
    };
    const overflow = fitRevocationScps([issued], {
      maxChars: 5120,
      maxPolicies: 0,
      massFallback: "ask",
    }).overflow;
    // Act / Assess
    expect(planMassFallback([issued], overflow)).toEqual({
      issuedBefore: "2026-06-01T15:00:00.000Z",
      userIds: [userId(1)],
    });
    expect(planMassFallback([issued], [])).toBeNull();
    expect(() => planMassFallback([{ ...issued, issuedBefore: "yesterday" }], overflow)).toThrow(
      /issuedBefore is not an ISO 8601 instant/,
    );
    expect(() => planMassFallback([{ ...leaver(userId(1)), createdAt: "soon" }], overflow)).toThrow(
      /createdAt is not an ISO 8601 instant/,
    );
    expect(() => planMassFallback([leaver(userId(2))], overflow)).toThrow(/no Deny entry/);
  });
});

describe("fallbackCovers", () => {
  it("holds for the fallback with T at or after the instant, and for nothing else", () => {
    const doc = renderPolicy([massFallbackStatement("2026-06-01T12:00:00.000Z")]);
    expect(fallbackCovers(doc, "2026-06-01T12:00:00.000Z")).toBe(true);
    expect(fallbackCovers(doc, "2026-06-01T11:00:00Z")).toBe(true);
    expect(fallbackCovers(doc, "2026-06-01T12:00:01Z")).toBe(false);
    expect(fallbackCovers("not json", "2026-06-01T11:00:00Z")).toBe(false);
    expect(
      fallbackCovers(
        JSON.stringify({ Statement: { Sid: MASS_FALLBACK_SID, Effect: "Allow" } }),
        "2026-06-01T11:00:00Z",
      ),
    ).toBe(false);
    expect(fallbackCovers("null", "2026-06-01T11:00:00Z")).toBe(false);
  });
});
