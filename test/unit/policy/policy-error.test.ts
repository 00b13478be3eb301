import { describe, expect, it } from "vitest";
import { formatPolicyPath } from "../../../core/policy/policy-error.ts";

describe("formatPolicyPath", () => {
  it.each([
    [[], "(root)"],
    [["rules", 2, "targets", "accounts", 0], "rules[2].targets.accounts[0]"],
    [["rules", 0, "targets", "tags", "cost-center"], "rules[0].targets.tags.cost-center"],
    [["permissionSets", "Admin+"], 'permissionSets["Admin+"]'],
    [["a:b"], '["a:b"]'],
    [["tags", ""], 'tags[""]'],
  ])("formats %j as %s", (path, text) => {
    expect(formatPolicyPath(path)).toBe(text);
  });
});
