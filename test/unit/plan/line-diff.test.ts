import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lineDiff } from "../../../core/plan/line-diff.ts";

describe("lineDiff", () => {
  it("marks removed and added lines and keeps the common ones", () => {
    expect(lineDiff(["a", "b", "c"], ["a", "x", "c"])).toEqual([" a", "-b", "+x", " c"]);
  });

  it("is empty for equal lists", () => {
    expect(lineDiff(["a", "b"], ["a", "b"])).toEqual([]);
    expect(lineDiff([], [])).toEqual([]);
  });

  it("cuts unchanged runs to the context around a change", () => {
    const before = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];
    const after = ["1", "2", "3", "4", "X", "6", "7", "8", "9"];
    expect(lineDiff(before, after, 1)).toEqual(["…", " 4", "-5", "+X", " 6", "…"]);
  });

  it("read back, the diff rebuilds both sides (full context)", () => {
    const lines = fc.array(fc.constantFrom("a", "b", "c", "d"), { maxLength: 12 });
    fc.assert(
      fc.property(lines, lines, (before, after) => {
        const diff = lineDiff(before, after, Number.POSITIVE_INFINITY);
        expect(diff.length === 0).toBe(
          before.join("\n") === after.join("\n") && before.length === after.length,
        );
        if (diff.length === 0) return;
        expect(diff.filter((l) => !l.startsWith("+")).map((l) => l.slice(1))).toEqual(before);
        expect(diff.filter((l) => !l.startsWith("-")).map((l) => l.slice(1))).toEqual(after);
      }),
    );
  });
});
