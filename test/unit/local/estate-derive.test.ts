import { describe, expect, it } from "vitest";
import { expandAssignments } from "../../../local/estate/expand-assignments.ts";
import { derivedOktaId, withOktaIds } from "../../../local/estate/okta-ids.ts";
import { parseEstate } from "../../../local/estate/parse-estate.ts";
import type { EstateFile } from "../../../local/estate/schema.ts";
import { scimProjection } from "../../../local/estate/scim-projection.ts";

/** A small estate, validated (so defaults are filled in); `provisionedGroups` as given. */
function estate(provisionedGroups: "all" | string[] = "all"): EstateFile {
  const result = parseEstate(
    JSON.stringify({
      organization: {
        managementAccountId: "111111111111",
        rootId: "r-ab12",
        units: [
          { id: "ou-ab12-work0001", name: "Workloads", parentId: "r-ab12" },
          { id: "ou-ab12-prod0001", name: "Prod", parentId: "ou-ab12-work0001" },
        ],
        accounts: [
          { id: "111111111111", name: "management", parentId: "r-ab12" },
          { id: "222222222222", name: "app-prod", parentId: "ou-ab12-prod0001" },
          { id: "333333333333", name: "old", parentId: "ou-ab12-work0001", status: "SUSPENDED" },
        ],
      },
      okta: {
        users: [
          { login: "jane.doe@example.com", firstName: "Jane", lastName: "Doe", status: "ACTIVE" },
          { login: "john.smith@example.com", firstName: "John", lastName: "Smith", status: "SUSPENDED" },
          {
            id: "00u1a2b3c4d5e6f7g8h9",
            login: "ana.lopez@example.com",
            firstName: "Ana",
            lastName: "Lopez",
            status: "ACTIVE",
          },
          { login: "no.groups@example.com", firstName: "No", lastName: "Groups", status: "ACTIVE" },
        ],
        groups: [
          { name: "aws-developers", description: "Developers" },
          { id: "00g1a2b3c4d5e6f7g8h9", name: "aws-admins" },
        ],
        memberships: [
          { group: "aws-developers", user: "jane.doe@example.com" },
          { group: "aws-developers", user: "john.smith@example.com" },
          { group: "aws-admins", user: "ana.lopez@example.com" },
          { group: "aws-admins", user: "jane.doe@example.com" },
        ],
      },
      identityCenter: {
        permissionSets: [{ name: "DeveloperAccess" }, { name: "Admin" }],
        assignments: [
          { group: "aws-developers", permissionSet: "DeveloperAccess", ous: ["ou-ab12-work0001"] },
          { group: "aws-developers", permissionSet: "DeveloperAccess", accounts: ["222222222222"] },
          { group: "aws-admins", permissionSet: "Admin", ous: ["r-ab12"] },
        ],
        scim: { provisionedGroups },
      },
    }),
    "estate.json",
  );
  if (!result.ok) throw result.error;
  return result.estate;
}

describe("withOktaIds", () => {
  it("keeps ids the file gives and derives the others from login and name, the same every time", () => {
    // Act
    const first = withOktaIds(estate());
    const second = withOktaIds(estate());

    // Assess
    const [jane, , ana] = first.okta.users;
    expect(ana?.id).toBe("00u1a2b3c4d5e6f7g8h9");
    expect(jane?.id).toMatch(/^00u[0-9A-Za-z]{17}$/);
    expect(jane?.id).toBe(derivedOktaId("00u", "jane.doe@example.com"));
    expect(first.okta.groups[0]?.id).toMatch(/^00g[0-9A-Za-z]{17}$/);
    expect(first.okta.groups[1]?.id).toBe("00g1a2b3c4d5e6f7g8h9");
    expect(second).toEqual(first);
    expect(new Set(first.okta.users.map((user) => user.id)).size).toBe(4);
  });

  it("derives the same user id whatever the login's case", () => {
    // Act / Assess
    expect(derivedOktaId("00u", "jane.doe@example.com")).not.toBe(
      derivedOktaId("00g", "jane.doe@example.com"),
    );
    const upper = estate();
    const user = upper.okta.users[0] as EstateFile["okta"]["users"][number];
    user.login = "Jane.Doe@example.com";
    expect(withOktaIds(upper).okta.users[0]?.id).toBe(withOktaIds(estate()).okta.users[0]?.id);
  });
});

describe("scimProjection", () => {
  it("provisions every group, and the ACTIVE users in them with their memberships", () => {
    // Act
    const projection = scimProjection(withOktaIds(estate()));

    // Assess
    expect(projection.groups).toEqual([
      {
        displayName: "aws-developers",
        description: "Developers",
        externalId: derivedOktaId("00g", "aws-developers"),
      },
      { displayName: "aws-admins", externalId: "00g1a2b3c4d5e6f7g8h9" },
    ]);
    expect(projection.users).toEqual([
      {
        userName: "jane.doe@example.com",
        displayName: "Jane Doe",
        givenName: "Jane",
        familyName: "Doe",
        email: "jane.doe@example.com",
        externalId: derivedOktaId("00u", "jane.doe@example.com"),
      },
      expect.objectContaining({ userName: "ana.lopez@example.com", externalId: "00u1a2b3c4d5e6f7g8h9" }),
    ]);
    expect(projection.memberships).toEqual([
      { group: "aws-developers", userName: "jane.doe@example.com" },
      { group: "aws-admins", userName: "ana.lopez@example.com" },
      { group: "aws-admins", userName: "jane.doe@example.com" },
    ]);
  });

  it("provisions only the listed groups, and only their members", () => {
    // Prepare
    const listed = estate(["aws-admins", "aws-developers"]);
    listed.identityCenter.scim.provisionedGroups = ["aws-admins"];

    // Act
    const projection = scimProjection(withOktaIds(listed));

    // Assess
    expect(projection.groups.map((group) => group.displayName)).toEqual(["aws-admins"]);
    expect(projection.users.map((user) => user.userName)).toEqual([
      "jane.doe@example.com",
      "ana.lopez@example.com",
    ]);
    expect(projection.memberships).toHaveLength(2);
  });

  it("counts a membership the estate repeats once", () => {
    // Prepare
    const repeated = estate();
    repeated.okta.memberships.push({ group: "aws-admins", user: "ana.lopez@example.com" });

    // Act
    const projection = scimProjection(withOktaIds(repeated));

    // Assess
    expect(projection.memberships).toHaveLength(3);
  });
});

describe("expandAssignments", () => {
  it("expands OUs (nested) and the root to ACTIVE accounts, each triple once, sorted", () => {
    // Act
    const expanded = expandAssignments(estate());

    // Assess
    expect(expanded).toEqual([
      { accountId: "111111111111", group: "aws-admins", permissionSet: "Admin" },
      { accountId: "222222222222", group: "aws-admins", permissionSet: "Admin" },
      { accountId: "222222222222", group: "aws-developers", permissionSet: "DeveloperAccess" },
    ]);
  });
});
