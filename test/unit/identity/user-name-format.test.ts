import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  candidateUserNames,
  identityCenterUserName,
  templateAttributes,
  userNameMappingOf,
} from "../../../core/identity/user-name-format.ts";

const jane = {
  login: "jdoe@corp.example",
  profile: { email: "jane.doe@example.com", firstName: "Jane", lastName: "Doe" },
};

describe("identityCenterUserName", () => {
  it("gives the name each application username format gives", () => {
    expect(identityCenterUserName(jane, { format: "oktaUsername" })).toBe("jdoe@corp.example");
    expect(identityCenterUserName(jane, { format: "oktaUsernamePrefix" })).toBe("jdoe");
    expect(identityCenterUserName(jane, { format: "email" })).toBe("jane.doe@example.com");
    expect(identityCenterUserName(jane, { format: "emailPrefix" })).toBe("jane.doe");
    expect(
      identityCenterUserName(jane, { format: "custom", template: "{firstName}.{lastName}@aws.example" }),
    ).toBe("Jane.Doe@aws.example");
  });

  it("gives no name when the attribute a format needs is missing or empty", () => {
    const noEmail = { login: "x@corp.example", profile: { firstName: "" } };
    expect(identityCenterUserName(noEmail, { format: "email" })).toBeNull();
    expect(identityCenterUserName(noEmail, { format: "emailPrefix" })).toBeNull();
    expect(identityCenterUserName(noEmail, { format: "custom", template: "{firstName}" })).toBeNull();
    expect(identityCenterUserName({ login: "x@y.z" }, { format: "custom" })).toBeNull();
    expect(identityCenterUserName({ login: "x@y.z" }, { format: "custom", template: "{email}" })).toBeNull();
    expect(identityCenterUserName({ login: "nodomain" }, { format: "oktaUsernamePrefix" })).toBe("nodomain");
  });

  it("a prefix never contains the domain (property)", () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const name = identityCenterUserName({ login: email, profile: { email } }, { format: "emailPrefix" });
        expect(name).not.toContain("@");
        expect(email.startsWith(`${name}@`)).toBe(true);
      }),
    );
  });
});

describe("candidateUserNames", () => {
  it("lists every standard format's name and the configured one, once each", () => {
    expect(candidateUserNames(jane, { format: "custom", template: "{lastName}" }).sort()).toEqual(
      ["Doe", "jane.doe", "jane.doe@example.com", "jdoe", "jdoe@corp.example"].sort(),
    );
    expect(candidateUserNames({ login: "a@b.c", profile: { email: "a@b.c" } }, { format: "email" })).toEqual([
      "a@b.c",
      "a",
    ]);
  });
});

describe("templateAttributes and userNameMappingOf", () => {
  it("reads a template's attributes and a policy's mapping", () => {
    expect(templateAttributes("{firstName}.{lastName}@x")).toEqual(["firstName", "lastName"]);
    expect(userNameMappingOf({ userNameFormat: "email" })).toEqual({ format: "email" });
    expect(userNameMappingOf({ userNameFormat: "custom", userNameTemplate: "{email}" })).toEqual({
      format: "custom",
      template: "{email}",
    });
  });
});
