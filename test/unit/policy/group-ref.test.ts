import { describe, expect, it } from "vitest";
import { describeGroupRef, groupKey } from "../../../core/policy/group-ref.ts";

describe("groupKey", () => {
  it("is equal for a group named as a string or as { name }", () => {
    expect(groupKey("aws-devs")).toBe(groupKey({ name: "aws-devs" }));
  });

  it("never equals a name for an id, even when the text is the same", () => {
    expect(groupKey({ id: "00g1a2b3c4d5e6f7g8h9" })).not.toBe(groupKey("00g1a2b3c4d5e6f7g8h9"));
  });
});

describe("describeGroupRef", () => {
  it.each([
    ["aws-devs", "group 'aws-devs'"],
    [{ name: "aws-devs" }, "group 'aws-devs'"],
    [{ id: "00g1a2b3c4d5e6f7g8h9" }, "group id 00g1a2b3c4d5e6f7g8h9"],
  ])("describes %j as %s", (ref, text) => {
    expect(describeGroupRef(ref)).toBe(text);
  });
});
