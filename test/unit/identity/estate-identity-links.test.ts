/** The identity links an estate run records: every matched user, new or changed ones only. */
import { describe, expect, it } from "vitest";
import { identityLinksToRecord } from "../../../core/identity/estate-identity-links.ts";
import { estate, NOW } from "../../support/estate-builder.ts";

describe("identityLinksToRecord", () => {
  it("links every Identity Center user matched to one Okta user, sorted by Okta user id", () => {
    const e = estate();
    expect(identityLinksToRecord(e.policy, e.okta, e.identityCenter, [], NOW)).toEqual([
      { oktaUserId: "00uana", identityCenterUserId: "ic-ana", oktaLogin: "ana@example.com", linkedAt: NOW },
      { oktaUserId: "00uben", identityCenterUserId: "ic-ben", oktaLogin: "ben@example.com", linkedAt: NOW },
    ]);
  });

  it("writes nothing for a link already held, and rewrites one that names another user", () => {
    const e = estate();
    const held = [
      { oktaUserId: "00uana", identityCenterUserId: "ic-ana" },
      { oktaUserId: "00uben", identityCenterUserId: "ic-old-ben" },
    ];
    expect(identityLinksToRecord(e.policy, e.okta, e.identityCenter, held, NOW)).toEqual([
      { oktaUserId: "00uben", identityCenterUserId: "ic-ben", oktaLogin: "ben@example.com", linkedAt: NOW },
    ]);
  });

  it("links nobody under a name two Identity Center users share", () => {
    const e = estate((x) => {
      x.identityCenter.users.push({ userId: "ic-ana-2", userName: "ANA@example.com" });
    });
    const links = identityLinksToRecord(e.policy, e.okta, e.identityCenter, [], NOW);
    expect(links.map((l) => l.oktaUserId)).toEqual(["00uben"]);
  });

  it("links nobody for an Okta user Identity Center does not hold", () => {
    const e = estate((x) => {
      x.identityCenter.users = x.identityCenter.users.filter((u) => u.userId !== "ic-ben");
    });
    const links = identityLinksToRecord(e.policy, e.okta, e.identityCenter, [], NOW);
    expect(links.map((l) => l.oktaUserId)).toEqual(["00uana"]);
  });

  it("links nobody under a name two Okta users map to", () => {
    const e = estate((x) => {
      const ana = x.okta.users.find((u) => u.id === "00uana");
      if (ana) x.okta.users.push({ ...ana, id: "00uana2" });
    });
    const links = identityLinksToRecord(e.policy, e.okta, e.identityCenter, [], NOW);
    expect(links.map((l) => l.oktaUserId)).toEqual(["00uben"]);
  });
});
