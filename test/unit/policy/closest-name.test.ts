import { describe, expect, it } from "vitest";
import { closestName, editDistance } from "../../../core/policy/closest-name.ts";

describe("editDistance", () => {
  it.each([
    ["", "", 0],
    ["abc", "", 3],
    ["", "abc", 3],
    ["kitten", "sitting", 3],
    ["ReadOnly", "ReadOnly", 0],
    ["permisionSet", "permissionSet", 1],
  ])("%j -> %j is %i", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});

describe("closestName", () => {
  it("suggests the closest candidate, ignoring case", () => {
    expect(closestName("readonly", ["DeveloperAccess", "ReadOnly"])).toBe("ReadOnly");
  });

  it("prefers a closer candidate that comes later, and keeps the first of equally close ones", () => {
    expect(closestName("ReadOnlyy", ["ReadOnlyXYZ", "ReadOnly", "ReadOnlz"])).toBe("ReadOnly");
    expect(closestName("ous", ["ou", "ouss"])).toBe("ou");
  });

  it("suggests nothing when every candidate is far", () => {
    expect(closestName("Foo", ["ReadOnly", "A", "B"])).toBeUndefined();
    expect(closestName("A", ["B"])).toBeUndefined();
  });

  it("suggests nothing among no candidates", () => {
    expect(closestName("ReadOnly", [])).toBeUndefined();
  });
});
