import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DenyEntry } from "../../../core/estate.ts";
import { concernsTarget, fitInlineDenies } from "../../../core/revocation/fit-inline-denies.ts";
import {
  INLINE_POLICY_MAX_CHARS,
  InvalidInlinePolicyError,
} from "../../../core/revocation/inline-policy-errors.ts";
import { inlinePolicyLength } from "../../../core/revocation/merge-inline-deny.ts";
import { account, attributeChange, leaver, mover, userId } from "./revocation-builders.ts";

const MGMT = "999999999999";
const ADMIN = { permissionSetName: "PlatformAdmin", accountId: MGMT };
const customer = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "CustomerRead", Effect: "Allow", Action: "s3:Get*", Resource: "*" }],
});

describe("fitInlineDenies", () => {
  it("puts only the Denies that concern the permission set in this account", () => {
    // Prepare
    const denies = [
      leaver(userId(1)),
      mover(userId(2), "PlatformAdmin", [MGMT, "111111111111"]),
      mover(userId(3), "PlatformAdmin", ["111111111111"]),
      mover(userId(4), "ReadOnly", [MGMT]),
    ];
    // Act
    const fit = fitInlineDenies(customer, denies, ADMIN);
    // Assess
    expect(fit.placed.map((d) => d.userId).sort()).toEqual([userId(1), userId(2)]);
    expect(fit.dropped).toEqual([]);
    expect(fit.document).toContain("CustomerRead");
    expect(fit.document).not.toContain(userId(3));
    expect(fit.document).not.toContain(userId(4));
    // a mover's Deny names only this account's role inline
    expect(fit.document).not.toContain("111111111111");
    expect(concernsTarget(denies[3] as DenyEntry, ADMIN)).toBe(false);
  });

  it("places leavers first when room runs out, and reports what it left out instead of failing", () => {
    // Prepare: a reorg's worth of mover Denies on this set, then one leaver recorded last
    const movers = Array.from({ length: 320 }, (_, i) =>
      mover(userId(100 + i), "PlatformAdmin", [MGMT, account(i)]),
    );
    const late = { ...leaver(userId(7)), createdAt: "2026-06-01T13:00:00.000Z" };
    // Act
    const fit = fitInlineDenies(customer, [...movers, late], ADMIN);
    // Assess
    expect(fit.placed[0]).toEqual(late);
    expect(fit.dropped.length).toBeGreaterThan(0);
    expect(fit.placed.length + fit.dropped.length).toBe(321);
    expect(inlinePolicyLength(String(fit.document))).toBeLessThanOrEqual(INLINE_POLICY_MAX_CHARS);
    expect(fit.document).toContain(userId(7));
  });

  it("keeps only a user's latest issued-before Deny, as it covers the earlier ones", () => {
    // Prepare
    const early = attributeChange(userId(1), "2026-06-01T10:00:00Z");
    const later = attributeChange(userId(1), "2026-06-01T11:00:00Z");
    // Act
    const fit = fitInlineDenies(null, [early, later], ADMIN);
    // Assess: both count as placed, only the later is written
    expect(fit.placed).toEqual([later, early]);
    expect(fit.document).toContain("2026-06-01T11:00:00Z");
    expect(fit.document).not.toContain("2026-06-01T10:00:00Z");
  });

  it("reports a superseded Deny as left out when its later one did not fit", () => {
    const early = attributeChange(userId(1), "2026-06-01T10:00:00Z");
    const later = attributeChange(userId(1), "2026-06-01T11:00:00Z");
    const fit = fitInlineDenies(null, [early, later], ADMIN, 150);
    expect(fit.placed).toEqual([]);
    expect(fit.dropped).toEqual([later, early]);
  });

  it("changes nothing when the customer's own statements leave no room", () => {
    const fit = fitInlineDenies(customer, [leaver(userId(1))], ADMIN, 40);
    expect(fit).toEqual({ document: customer, placed: [], dropped: [leaver(userId(1))] });
  });

  it("refuses to merge into an existing inline policy that is not a policy document", () => {
    expect(() => fitInlineDenies("{not json", [leaver(userId(1))], ADMIN)).toThrow(InvalidInlinePolicyError);
  });

  it("removes the inline policy when neither customer statements nor Denies are left", () => {
    expect(fitInlineDenies(null, [], ADMIN).document).toBeNull();
  });

  it("never exceeds the limit and never loses a Deny from its accounting (property)", () => {
    const deny = fc.oneof(
      fc.integer({ min: 0, max: 400 }).map((n) => leaver(userId(n))),
      fc.integer({ min: 0, max: 400 }).map((n) => mover(userId(n), "PlatformAdmin", [MGMT])),
      fc
        .tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 59 }))
        .map(([n, m]) => attributeChange(userId(n), `2026-06-01T10:${String(m).padStart(2, "0")}:00Z`)),
    );
    fc.assert(
      fc.property(
        fc.array(deny, { maxLength: 150 }),
        fc.integer({ min: 300, max: 12_000 }),
        (denies, limit) => {
          const fit = fitInlineDenies(null, denies, ADMIN, limit);
          expect(fit.placed.length + fit.dropped.length).toBe(denies.length);
          if (fit.document !== null) expect(inlinePolicyLength(fit.document)).toBeLessThanOrEqual(limit);
          // a leaver is only ever left out when no leaver after it was placed (priority order)
          const leaverDropped = fit.dropped.some((d) => d.scope === "all" && d.issuedBefore === undefined);
          const otherPlaced = fit.placed.some((d) => d.scope !== "all");
          expect(leaverDropped && otherPlaced && fit.placed.every((d) => d.scope !== "all")).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });
});
