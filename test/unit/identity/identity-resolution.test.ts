import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { externalIdVerdict, isUnverifiable } from "../../../core/identity/identity-resolution.ts";

const OKTA_ID = "00u1a2b3c4d5e6f7g8h9";
const OTHER_ID = "00u9z8y7x6w5v4u3t2s1";

describe("externalIdVerdict", () => {
  it("matches when any external id is the Okta user id, whatever its issuer", () => {
    expect(externalIdVerdict({ externalIds: [{ issuer: "anything", id: OKTA_ID }] }, OKTA_ID, "okta")).toBe(
      "matches",
    );
  });

  it("names another user when the configured issuer's id differs", () => {
    expect(externalIdVerdict({ externalIds: [{ issuer: "okta", id: "someone" }] }, OKTA_ID, "okta")).toBe(
      "other-user",
    );
    // another issuer's id says nothing about Okta
    expect(externalIdVerdict({ externalIds: [{ issuer: "hr", id: OTHER_ID }] }, OKTA_ID, "okta")).toBe(
      "unknown",
    );
  });

  it("without a configured issuer, an Okta-shaped id of someone else names another user", () => {
    expect(externalIdVerdict({ externalIds: [{ issuer: "x", id: OTHER_ID }] }, OKTA_ID, undefined)).toBe(
      "other-user",
    );
    expect(externalIdVerdict({ externalIds: [{ issuer: "x", id: "E-1234" }] }, OKTA_ID, undefined)).toBe(
      "unknown",
    );
    expect(externalIdVerdict({ externalIds: [] }, OKTA_ID, undefined)).toBe("unknown");
  });

  it("never calls a user whose external ids include the Okta id anyone else's (property)", () => {
    const externalId = fc.record({ issuer: fc.string({ minLength: 1 }), id: fc.string({ minLength: 1 }) });
    fc.assert(
      fc.property(
        fc.array(externalId),
        fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
        (ids, issuer) => {
          const withOurs = [...ids, { issuer: issuer ?? "scim", id: OKTA_ID }];
          expect(externalIdVerdict({ externalIds: withOurs }, OKTA_ID, issuer)).toBe("matches");
        },
      ),
    );
  });
});

describe("isUnverifiable", () => {
  it("is true only for unresolved and conflicting resolutions", () => {
    expect(isUnverifiable({ outcome: "unresolved", detail: "" })).toBe(true);
    expect(isUnverifiable({ outcome: "conflict", userId: "u", detail: "" })).toBe(true);
    expect(isUnverifiable({ outcome: "unmatched", candidates: [], detail: "" })).toBe(true);
    expect(isUnverifiable({ outcome: "absent", detail: "" })).toBe(false);
    expect(isUnverifiable({ outcome: "resolved", userId: "u", via: "login", detail: "" })).toBe(false);
  });
});
