import { describe, expect, it } from "vitest";
import { nameByRule } from "../../../core/credentials/naming-rules.ts";
import { person } from "./credential-builders.ts";

describe("nameByRule", () => {
  const jane = person("Jane.Doe@Corp.example", {
    email: "JDoe@Mail.example",
    profile: { firstName: "Mary Jane", lastName: "Doe" },
  });

  it("derives each rule's lower-cased name", () => {
    // Act / Assess
    expect(nameByRule(jane, "login")).toBe("jane.doe@corp.example");
    expect(nameByRule(jane, "loginLocalPart")).toBe("jane.doe");
    expect(nameByRule(jane, "email")).toBe("jdoe@mail.example");
    expect(nameByRule(jane, "emailLocalPart")).toBe("jdoe");
    expect(nameByRule(jane, "firstDotLast")).toBe("maryjane.doe");
    expect(nameByRule(jane, "firstInitialLast")).toBe("mdoe");
  });

  it("derives nothing from what the person lacks", () => {
    // Prepare
    const bare = person("jdoe", { email: null, profile: { firstName: "Jane", lastName: null } });

    // Act / Assess
    expect(nameByRule(bare, "loginLocalPart")).toBeUndefined();
    expect(nameByRule(bare, "email")).toBeUndefined();
    expect(nameByRule(bare, "emailLocalPart")).toBeUndefined();
    expect(nameByRule(bare, "firstDotLast")).toBeUndefined();
    expect(nameByRule(bare, "firstInitialLast")).toBeUndefined();
    expect(nameByRule(person("x", { email: "", profile: {} }), "email")).toBeUndefined();
  });
});
