import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compileEventPattern,
  type EventPattern,
  InvalidEventPatternError,
  UnsupportedEventPatternError,
  wildcardRegExp,
} from "../../../local/runtime/event-pattern.ts";

const matches = (pattern: EventPattern, event: unknown) => compileEventPattern(pattern)(event);

const event = {
  source: "aws.organizations",
  "detail-type": "AWS API Call via CloudTrail",
  detail: {
    eventName: "TagResource",
    count: 3,
    readOnly: false,
    responseElements: null,
    requestParameters: { resourceId: "300000000042", tagKeys: ["team", "env"] },
    resources: [
      { type: "ACCOUNT", id: "300000000042" },
      { type: "OU", id: "ou-ab12-pr0d8h3n" },
    ],
  },
};

describe("event patterns: exact values and nesting", () => {
  it("matches top-level and nested exact values, and any of a field's values", () => {
    // Prepare
    const pattern = {
      source: ["aws.s3", "aws.organizations"],
      detail: { eventName: ["TagResource"], requestParameters: { resourceId: ["300000000042"] } },
    };
    // Act / Assess
    expect(matches(pattern, event)).toBe(true);
    expect(matches({ ...pattern, source: ["aws.s3"] }, event)).toBe(false);
  });

  it("compares type and value: numbers, booleans and null are not strings", () => {
    expect(matches({ detail: { count: [3] } }, event)).toBe(true);
    expect(matches({ detail: { count: ["3"] } }, event)).toBe(false);
    expect(matches({ detail: { readOnly: [false] } }, event)).toBe(true);
    expect(matches({ detail: { readOnly: ["false"] } }, event)).toBe(false);
    expect(matches({ detail: { responseElements: [null] } }, event)).toBe(true);
    expect(matches({ detail: { eventName: ["tagresource"] } }, event)).toBe(false);
  });

  it("matches an event array when any element matches", () => {
    expect(matches({ detail: { requestParameters: { tagKeys: ["env"] } } }, event)).toBe(true);
    expect(matches({ detail: { requestParameters: { tagKeys: ["cost-center"] } } }, event)).toBe(false);
  });

  it("matches objects in an event array element by element", () => {
    expect(matches({ detail: { resources: { type: ["OU"], id: [{ prefix: "ou-" }] } } }, event)).toBe(true);
    // Each field matches some element, but no one element matches both.
    expect(matches({ detail: { resources: { type: ["ACCOUNT"], id: [{ prefix: "ou-" }] } } }, event)).toBe(
      false,
    );
  });

  it("does not match a field that is absent or holds an object", () => {
    expect(matches({ detail: { errorCode: ["AccessDenied"] } }, event)).toBe(false);
    expect(matches({ detail: { requestParameters: ["x"] } }, event)).toBe(false);
    expect(matches({ missing: { deeper: ["x"] } }, event)).toBe(false);
  });

  it("treats an empty top-level pattern as matching every event (a local liberty)", () => {
    expect(matches({}, event)).toBe(true);
  });
});

describe("event patterns: operators", () => {
  it("prefix matches strings that start with it, never numbers", () => {
    expect(matches({ detail: { eventName: [{ prefix: "Tag" }] } }, event)).toBe(true);
    expect(matches({ detail: { eventName: [{ prefix: "Untag" }] } }, event)).toBe(false);
    expect(matches({ detail: { count: [{ prefix: "3" }] } }, event)).toBe(false);
  });

  it("exists: true needs a leaf value; exists: false matches absent fields, objects and empty arrays", () => {
    expect(matches({ detail: { eventName: [{ exists: true }] } }, event)).toBe(true);
    expect(matches({ detail: { responseElements: [{ exists: true }] } }, event)).toBe(true);
    expect(matches({ detail: { errorCode: [{ exists: true }] } }, event)).toBe(false);
    expect(matches({ detail: { errorCode: [{ exists: false }] } }, event)).toBe(true);
    expect(matches({ detail: { eventName: [{ exists: false }] } }, event)).toBe(false);
    expect(matches({ detail: { requestParameters: [{ exists: false }] } }, event)).toBe(true);
    expect(matches({ list: [{ exists: false }] }, { list: [] })).toBe(true);
    expect(matches({ nowhere: { errorCode: [{ exists: false }] } }, event)).toBe(true);
  });

  it("anything-but takes a value, a list, a prefix or wildcards, and needs the field present", () => {
    expect(matches({ detail: { eventName: [{ "anything-but": "MoveAccount" }] } }, event)).toBe(true);
    expect(matches({ detail: { eventName: [{ "anything-but": "TagResource" }] } }, event)).toBe(false);
    expect(matches({ detail: { count: [{ "anything-but": [1, 2] }] } }, event)).toBe(true);
    expect(matches({ detail: { count: [{ "anything-but": [3, 4] }] } }, event)).toBe(false);
    expect(matches({ detail: { eventName: [{ "anything-but": { prefix: "Untag" } }] } }, event)).toBe(true);
    expect(matches({ detail: { eventName: [{ "anything-but": { prefix: "Tag" } }] } }, event)).toBe(false);
    const notDashed = { "anything-but": { wildcard: "*-*" } };
    expect(matches({ id: [notDashed] }, { id: "300000000042" })).toBe(true);
    expect(matches({ id: [notDashed] }, { id: "ou-ab12-pr0d8h3n" })).toBe(false);
    expect(matches({ id: [{ "anything-but": { wildcard: ["r-*", "p-*"] } }] }, { id: "p-abc" })).toBe(false);
    expect(matches({ detail: { errorCode: [{ "anything-but": "x" }] } }, event)).toBe(false);
  });

  it("wildcard matches whole strings, with \\* for a literal star", () => {
    expect(matches({ id: [{ wildcard: "ou-*-pr0d*" }] }, { id: "ou-ab12-pr0d8h3n" })).toBe(true);
    expect(matches({ id: [{ wildcard: "ou-*" }] }, { id: "r-ab12" })).toBe(false);
    expect(matches({ id: [{ wildcard: "a\\*b" }] }, { id: "a*b" })).toBe(true);
    expect(matches({ id: [{ wildcard: "a\\*b" }] }, { id: "axb" })).toBe(false);
    expect(matches({ id: [{ wildcard: "a\\\\b" }] }, { id: "a\\b" })).toBe(true);
    expect(matches({ id: [{ wildcard: "a.c" }] }, { id: "abc" })).toBe(false);
    expect(matches({ id: [{ wildcard: "*" }] }, { id: 7 })).toBe(false);
  });
});

describe("event patterns: rejected when compiled", () => {
  it.each([
    ["suffix", { detail: { eventName: [{ suffix: "Resource" }] } }],
    ["equals-ignore-case", { source: [{ "equals-ignore-case": "AWS.S3" }] }],
    ["numeric", { detail: { count: [{ numeric: [">", 1] }] } }],
    ["cidr", { ip: [{ cidr: "10.0.0.0/8" }] }],
    ["$or", { $or: [{ source: ["a"] }, { source: ["b"] }] }],
    ["anything-but suffix", { id: [{ "anything-but": { suffix: "x" } }] }],
    ["prefix with equals-ignore-case", { id: [{ prefix: { "equals-ignore-case": "x" } }] }],
  ])("says %s is not implemented instead of never matching", (operator, pattern) => {
    expect(() => compileEventPattern(pattern)).toThrow(UnsupportedEventPatternError);
    expect(() => compileEventPattern(pattern)).toThrow(operator);
  });

  it.each([
    ["a bare value", { source: "aws.s3" }, "source"],
    ["an empty list", { source: [] }, "source"],
    ["an empty nested object", { detail: {} }, "detail"],
    ["an unknown operator", { detail: { a: [{ nope: 1 }] } }, "detail.a"],
    ["two operators in one object", { a: [{ prefix: "x", exists: true }] }, "a"],
    ["exists with a string", { a: [{ exists: "yes" }] }, "a"],
    ["prefix with a number", { a: [{ prefix: 1 }] }, "a"],
    ["anything-but of mixed types", { a: [{ "anything-but": ["x", 1] }] }, "a"],
    ["anything-but of an empty list", { a: [{ "anything-but": [] }] }, "a"],
    ["anything-but of a boolean", { a: [{ "anything-but": true }] }, "a"],
    ["anything-but of an unknown operator", { a: [{ "anything-but": { exists: true } }] }, "a"],
    ["an empty wildcard list", { a: [{ "anything-but": { wildcard: [] } }] }, "a"],
    ["consecutive wildcards", { a: [{ wildcard: "a**" }] }, "a"],
    ["a stray backslash", { a: [{ wildcard: "a\\b" }] }, "a"],
    ["a list matcher", { a: [["x"]] }, "a"],
  ])("refuses %s, naming where", (_what, pattern, path) => {
    let thrown: unknown;
    try {
      compileEventPattern(pattern as EventPattern);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidEventPatternError);
    expect((thrown as InvalidEventPatternError).path).toBe(path);
  });

  it("refuses a pattern that is not an object", () => {
    expect(() => compileEventPattern(["x"] as unknown as EventPattern)).toThrow(InvalidEventPatternError);
  });
});

// Properties: events of plain keys with scalar leaves, nested objects and arrays of scalars.
const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/);
const scalar = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.dictionary(key, fc.oneof(scalar, fc.array(scalar, { minLength: 1, maxLength: 4 }), tie("tree")), {
    maxKeys: 4,
  }),
}));

/** A pattern of exact values taken from the event: for each leaf kept, one of its values. */
function exactPatternFrom(value: Record<string, unknown>, pick: () => boolean): EventPattern {
  const pattern: EventPattern = {};
  for (const [k, v] of Object.entries(value)) {
    if (!pick()) continue;
    if (Array.isArray(v)) pattern[k] = [v[v.length - 1]];
    else if (typeof v === "object" && v !== null) {
      const nested = exactPatternFrom(v as Record<string, unknown>, pick);
      if (Object.keys(nested).length > 0) pattern[k] = nested;
    } else pattern[k] = [v];
  }
  return pattern;
}

describe("event patterns: properties", () => {
  it("an exact-value pattern built from an event always matches it", () => {
    fc.assert(
      fc.property(tree, fc.infiniteStream(fc.boolean()), (e, picks) => {
        const iterator = picks[Symbol.iterator]();
        const pattern = exactPatternFrom(e, () => iterator.next().value === true);
        expect(matches(pattern, e)).toBe(true);
      }),
    );
  });

  it("anything-but of the value a field holds never matches it", () => {
    fc.assert(
      fc.property(key, fc.oneof(fc.string(), fc.integer()), (k, v) => {
        expect(matches({ detail: { [k]: [{ "anything-but": v }] } }, { detail: { [k]: v } })).toBe(false);
        expect(matches({ detail: { [k]: [{ "anything-but": [v] }] } }, { detail: { [k]: v } })).toBe(false);
      }),
    );
  });

  it("a string matches its prefixes and never anything-but them", () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(), (s, cut) => {
        const prefix = s.slice(0, cut % (s.length + 1));
        expect(matches({ a: [{ prefix }] }, { a: s })).toBe(true);
        expect(matches({ a: [{ "anything-but": { prefix } }] }, { a: s })).toBe(false);
      }),
    );
  });

  it("a wildcard made by starring parts of a string matches it", () => {
    const escaped = (text: string) => text.replace(/[\\*]/g, "\\$&");
    fc.assert(
      fc.property(
        fc.array(fc.string(), { minLength: 1, maxLength: 5 }),
        fc.array(fc.boolean()),
        (parts, stars) => {
          // Keep a literal part or replace it by `*`, never two stars in a row.
          let wildcard = "";
          let endsInStar = false;
          parts.forEach((part, i) => {
            const star = stars[i] === true && !endsInStar;
            wildcard += star ? "*" : escaped(part);
            endsInStar = star || (endsInStar && part === "");
          });
          expect(wildcardRegExp(wildcard).test(parts.join(""))).toBe(true);
          expect(matches({ a: [{ "anything-but": { wildcard } }] }, { a: parts.join("") })).toBe(false);
        },
      ),
    );
  });
});
