import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DenyEntry } from "../../../core/estate.ts";
import { renderPolicy } from "../../../core/revocation/deny-statement.ts";
import {
  federatedDenyEntry,
  federatedDenyUserId,
  federatedStatements,
} from "../../../core/revocation/federated-denies.ts";
import {
  FEDERATED_MASS_FALLBACK_SID,
  federatedEntryRoles,
  federatedFallbackCovers,
  federatedMassFallbackStatement,
  federatedRolePattern,
  planFederatedMassFallback,
} from "../../../core/revocation/federated-mass-fallback.ts";
import { fitRevocationScps } from "../../../core/revocation/fit-revocation-scps.ts";
import { CREATED, EXPIRES, leaver, userId } from "./revocation-builders.ts";

const role = (account: number, pathAndName: string) =>
  `arn:aws:iam::${String(100000000000 + account)}:role/${pathAndName}`;

const federatedLeaver = (n: number, roleArns?: string[], createdAt = CREATED): DenyEntry => ({
  userId: federatedDenyUserId(`00u${String(n).padStart(17, "0")}`),
  scope: "all",
  reason: "federated-sessions",
  createdAt,
  expiresAt: EXPIRES,
  federated: {
    sessionName: `person${n}@example.com`,
    sourceIdentity: `person${n}@example.com`,
    ...(roleArns ? { roleArns } : {}),
  },
});

describe("federatedRolePattern", () => {
  it("keeps the role's path and name and matches every account and partition", () => {
    expect(federatedRolePattern(role(1, "okta/Okta-Admin"))).toBe("arn:*:iam::*:role/okta/Okta-Admin");
    expect(federatedRolePattern("arn:aws-us-gov:iam::123456789012:role/ReadOnly")).toBe(
      "arn:*:iam::*:role/ReadOnly",
    );
  });

  it("names the bad value and the fix when it is no IAM role ARN", () => {
    expect(() => federatedRolePattern("arn:aws:iam::123456789012:user/alice")).toThrow(
      /"arn:aws:iam::123456789012:user\/alice" is not an IAM role ARN.*fix the discovery/,
    );
  });
});

describe("the roles a federated ledger entry records", () => {
  it("keeps the discovered roles, none when there were none, and an Identity Center entry has none", () => {
    const statements = [
      {
        Sid: "x",
        Effect: "Deny" as const,
        Action: "*" as const,
        Resource: "*" as const,
        Condition: { StringLike: { "aws:userid": "*:a@example.com" } },
      },
    ];
    const entry = (roleArns?: string[]) =>
      federatedDenyEntry({
        oktaUserId: "00ua",
        statements,
        createdAt: CREATED,
        liftAt: EXPIRES,
        ...(roleArns ? { roleArns } : {}),
      });
    expect(federatedEntryRoles(entry([role(1, "Okta")]))).toEqual([role(1, "Okta")]);
    expect(entry([]).federated).toEqual({ sessionName: "a@example.com" });
    expect(federatedEntryRoles(entry())).toEqual([]);
    expect(federatedEntryRoles(leaver(userId(1)))).toEqual([]);
  });
});

describe("planFederatedMassFallback", () => {
  it("needs nothing when nothing overflowed", () => {
    expect(planFederatedMassFallback([federatedLeaver(1, [role(1, "Okta")])], [])).toEqual({
      fallback: null,
      uncovered: [],
    });
  });

  it("covers the overflowing leavers with one pattern per role path and name, T their latest Deny", () => {
    // Prepare
    const a = federatedLeaver(1, [role(1, "Okta-Admin"), role(2, "Okta-Admin")], "2026-06-01T12:00:00.000Z");
    const b = federatedLeaver(2, [role(3, "fed/Okta-ReadOnly")], "2026-06-01T12:05:00.000Z");
    const denies = [a, b];
    // Act
    const plan = planFederatedMassFallback(denies, federatedStatements(denies));
    // Assess
    expect(plan).toEqual({
      fallback: {
        issuedBefore: "2026-06-01T12:05:00.000Z",
        rolePatterns: ["arn:*:iam::*:role/Okta-Admin", "arn:*:iam::*:role/fed/Okta-ReadOnly"],
        userIds: [a.userId, b.userId],
      },
      uncovered: [],
    });
  });

  it("reports entries with no Okta-trusting role recorded as uncovered: it cannot know whose sessions to deny", () => {
    const known = federatedLeaver(1, [role(1, "Okta")]);
    const unknown = federatedLeaver(2);
    const plan = planFederatedMassFallback([known, unknown], federatedStatements([known, unknown]));
    expect(plan.fallback?.userIds).toEqual([known.userId]);
    expect(plan.uncovered).toEqual([unknown.userId]);
    const none = planFederatedMassFallback([unknown], federatedStatements([unknown]));
    expect(none).toEqual({ fallback: null, uncovered: [unknown.userId] });
  });
});

describe("federatedFallbackCovers", () => {
  const fallback = { issuedBefore: CREATED, rolePatterns: ["arn:*:iam::*:role/Okta"], userIds: ["okta:x"] };
  const text = renderPolicy([federatedMassFallbackStatement(fallback)]);

  it("holds when T is at or after the instant and every role has its pattern", () => {
    expect(federatedFallbackCovers(text, [role(1, "Okta"), role(2, "Okta")], CREATED)).toBe(true);
    expect(JSON.parse(text).Statement[0].Sid).toBe(FEDERATED_MASS_FALLBACK_SID);
  });

  it("does not hold for a later instant, a role without a pattern, no roles, or what is not the fallback", () => {
    expect(federatedFallbackCovers(text, [role(1, "Okta")], "2026-06-01T12:00:01.000Z")).toBe(false);
    expect(federatedFallbackCovers(text, [role(1, "Okta"), role(1, "Other")], CREATED)).toBe(false);
    expect(federatedFallbackCovers(text, ["not-an-arn"], CREATED)).toBe(false);
    expect(federatedFallbackCovers(text, [], CREATED)).toBe(false);
    expect(federatedFallbackCovers("{", [role(1, "Okta")], CREATED)).toBe(false);
    expect(
      federatedFallbackCovers(JSON.stringify({ Statement: { Sid: "x" } }), [role(1, "Okta")], CREATED),
    ).toBe(false);
    expect(federatedFallbackCovers(JSON.stringify({}), [role(1, "Okta")], CREATED)).toBe(false);
  });
});

describe("fitRevocationScps with federated Denies that overflow", () => {
  const many = Array.from({ length: 30 }, (_, i) => federatedLeaver(i, [role(i % 3, "Okta-Admin")]));

  it("auto: the first document holds the federated fallback and it names every leaver left out", () => {
    const fit = fitRevocationScps(many, { maxChars: 900, maxPolicies: 2, massFallback: "auto" });
    expect(fit.federatedFallback?.userIds.length).toBeGreaterThan(0);
    expect(fit.federatedFallback?.rolePatterns).toEqual(["arn:*:iam::*:role/Okta-Admin"]);
    expect(fit.uncovered).toEqual([]);
    expect(JSON.parse(fit.documents[0] as string).Statement[0].Sid).toBe(FEDERATED_MASS_FALLBACK_SID);
    for (const d of fit.documents) expect(d.length).toBeLessThanOrEqual(900);
  });

  it("ask: no fallback, every leaver left out is uncovered", () => {
    const fit = fitRevocationScps(many, { maxChars: 900, maxPolicies: 2, massFallback: "ask" });
    expect(fit.federatedFallback).toBeNull();
    expect(fit.uncovered.length).toBeGreaterThan(0);
    expect(fit.uncovered.every((u) => u.startsWith("okta:"))).toBe(true);
  });

  it("auto with no slot, or a slot too small for the fallback: uncovered, never an oversize document", () => {
    expect(
      fitRevocationScps(many, { maxChars: 900, maxPolicies: 0, massFallback: "auto" }).uncovered,
    ).toHaveLength(30);
    const wide = Array.from({ length: 12 }, (_, i) => federatedLeaver(i, [role(i, `Okta-Role-Number-${i}`)]));
    const fit = fitRevocationScps([...wide, leaver(userId(1))], {
      maxChars: 300,
      maxPolicies: 1,
      massFallback: "auto",
    });
    expect(fit.federatedFallback).toBeNull();
    expect(fit.uncovered.filter((u) => u.startsWith("okta:")).length).toBeGreaterThan(0);
    for (const d of fit.documents) expect(d.length).toBeLessThanOrEqual(300);
  });

  it("auto with both kinds overflowing: both fallbacks, Identity Center's first", () => {
    const ic = Array.from({ length: 100 }, (_, i) => leaver(userId(i)));
    const fit = fitRevocationScps([...ic, ...many], { maxChars: 1200, maxPolicies: 2, massFallback: "auto" });
    expect(fit.fallback?.userIds.length).toBeGreaterThan(0);
    expect(fit.federatedFallback?.userIds.length).toBeGreaterThan(0);
    expect(fit.uncovered).toEqual([]);
  });

  it("property: under auto every federated leaver is held in a document or covered, every document within size", () => {
    const entryArb = fc
      .tuple(
        fc.integer({ min: 0, max: 80 }),
        fc.uniqueArray(fc.constantFrom("Okta-Admin", "fed/Okta-Dev", "Okta-ReadOnly"), { maxLength: 2 }),
        fc.constantFrom("2026-06-01T10:00:00.000Z", "2026-06-01T11:00:00.000Z"),
      )
      .map(([n, names, at]) =>
        federatedLeaver(n, names.length ? names.map((x) => role(n % 5, x)) : undefined, at),
      );
    fc.assert(
      fc.property(
        fc.array(entryArb, { maxLength: 60 }),
        fc.array(
          fc.integer({ min: 0, max: 60 }).map((n) => leaver(userId(n))),
          { maxLength: 40 },
        ),
        fc.integer({ min: 500, max: 3000 }),
        fc.integer({ min: 0, max: 3 }),
        (federated, ic, maxChars, maxPolicies) => {
          const denies = [...ic, ...federated];
          const fit = fitRevocationScps(denies, { maxChars, maxPolicies, massFallback: "auto" });
          for (const d of fit.documents) expect(d.length).toBeLessThanOrEqual(maxChars);
          const held = new Set(fit.documents.flatMap((d) => JSON.stringify(JSON.parse(d))));
          const text = [...held].join("");
          const covered = new Set(fit.federatedFallback?.userIds ?? []);
          const uncovered = new Set(fit.uncovered);
          for (const entry of federated) {
            const name = `*:${entry.federated?.sessionName}`;
            const inDocuments = text.includes(JSON.stringify(name));
            expect(inDocuments || covered.has(entry.userId) || uncovered.has(entry.userId)).toBe(true);
            if (covered.has(entry.userId)) {
              const fallbackT = fit.federatedFallback?.issuedBefore as string;
              expect(Date.parse(fallbackT)).toBeGreaterThanOrEqual(Date.parse(entry.createdAt));
              for (const arn of entry.federated?.roleArns ?? [])
                expect(fit.federatedFallback?.rolePatterns).toContain(federatedRolePattern(arn));
            }
            // Only a user with an entry that knows no role, or no room for the fallback, is left uncovered.
            if (uncovered.has(entry.userId))
              expect(
                fit.federatedFallback === null ||
                  federated.some(
                    (e) => e.userId === entry.userId && (e.federated?.roleArns ?? []).length === 0,
                  ),
              ).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
