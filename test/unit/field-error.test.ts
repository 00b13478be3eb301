import { describe, expect, it } from "vitest";
import { z } from "zod";
import { expecting, formatPath, joinPath, ROOT_PATH, toFieldErrors } from "../../core/field-error.ts";

describe("formatPath", () => {
  it.each([
    [[], ROOT_PATH],
    [["data", "events", 2, "published"], "data.events[2].published"],
    [["detail-type"], '["detail-type"]'],
    [[0, "uuid"], "[0].uuid"],
    [["target", 1, "changeDetails", "from", "first name"], 'target[1].changeDetails.from["first name"]'],
  ])("formats %j as %s", (segments, expected) => {
    // Act
    const path = formatPath(segments);

    // Assess
    expect(path).toBe(expected);
  });
});

describe("joinPath", () => {
  it.each([
    ["", "published", "published"],
    ["", ROOT_PATH, ROOT_PATH],
    ["detail", ROOT_PATH, "detail"],
    ["data.events[0]", "target[type=User]", "data.events[0].target[type=User]"],
    ["data.events", "[3]", "data.events[3]"],
  ])("joins %j and %j", (base, path, expected) => {
    expect(joinPath(base, path)).toBe(expected);
  });
});

describe("toFieldErrors", () => {
  it("turns every zod issue into a path under the base, in issue order", () => {
    // Prepare
    const schema = z.object({ a: z.string(), b: z.array(z.number()) });
    const result = schema.safeParse({ a: 1, b: [1, "x"] });
    if (result.success) throw new Error("the sample must fail");

    // Act
    const errors = toFieldErrors(result.error, "detail");

    // Assess
    expect(errors.map((e) => e.path)).toEqual(["detail.a", "detail.b[1]"]);
  });
});

describe("expecting", () => {
  it("says required for a missing field and what was expected otherwise", () => {
    // Prepare
    const schema = z.object({ when: z.string({ error: expecting("a date") }) });

    // Act
    const missing = schema.safeParse({});
    const wrong = schema.safeParse({ when: 3 });

    // Assess
    expect(missing.error?.issues[0]?.message).toBe("required");
    expect(wrong.error?.issues[0]?.message).toBe("expected a date");
  });
});
