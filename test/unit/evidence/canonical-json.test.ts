import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CanonicalJsonError, canonicalize, tryCanonicalize } from "../../../core/evidence/canonical-json.ts";

/** An independent oracle: sort keys by hand (UTF-16 order) and let JSON.stringify print. */
function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    Object.defineProperty(out, key, {
      value: sortedCopy((value as Record<string, unknown>)[key]),
      enumerable: true,
    });
  }
  return out;
}

/** The same value with every object's keys inserted in an order picked by `order`. */
function reinserted(value: unknown, order: (keys: string[]) => string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => reinserted(item, order));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of order(Object.keys(value))) {
    Object.defineProperty(out, key, {
      value: reinserted((value as Record<string, unknown>)[key], order),
      enumerable: true,
    });
  }
  return out;
}

const failure = (value: unknown) => {
  const result = tryCanonicalize(value);
  return result.ok
    ? result
    : { problem: result.error.problem, path: result.error.path, message: result.error.message };
};

describe("canonicalize", () => {
  it("sorts keys recursively and writes no whitespace", () => {
    const value = { b: [{ z: 1, a: 2 }], a: { d: null, c: true } };
    expect(canonicalize(value)).toBe('{"a":{"c":true,"d":null},"b":[{"a":2,"z":1}]}');
  });

  it("orders keys by UTF-16 code units, as RFC 8785 section 3.2.3 does", () => {
    const value = {
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis",
    };
    // Read the order off the text: Object.keys would put the integer-like "1" first.
    const order = [...canonicalize(value).matchAll(/:"([^"]+)"/g)].map((match) => match[1]);
    expect(order).toEqual([
      "Carriage Return",
      "One",
      "Control",
      "Latin Small Letter O With Diaeresis",
      "Euro Sign",
      "Emoji: Grinning Face",
      "Hebrew Letter Dalet With Dagesh",
    ]);
    expect(canonicalize(value).startsWith('{"\\r":"Carriage Return","1":"One","\u0080":"Control"')).toBe(
      true,
    );
  });

  it("prints numbers, strings and literals as RFC 8785 section 3.2.2 does", () => {
    const parsed = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalize(parsed)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it("writes -0 as 0", () => {
    expect(canonicalize([-0])).toBe("[0]");
  });

  it("omits undefined object properties, so an unset optional field hashes like an absent one", () => {
    expect(canonicalize({ a: 1, b: undefined })).toBe(canonicalize({ a: 1 }));
  });

  it("accepts objects without a prototype and repeated (non-circular) references", () => {
    const shared = { x: 1 };
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: shared, a: shared });
    expect(canonicalize(bare)).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it.each([
    ["NaN", { a: [1, Number.NaN] }, "non-finite-number", "a[1]", "NaN is not a finite number"],
    [
      "Infinity",
      { a: { b: Number.POSITIVE_INFINITY } },
      "non-finite-number",
      "a.b",
      "Infinity is not a finite number",
    ],
    ["undefined in an array", { list: [1, undefined] }, "undefined", "list[1]", "undefined has no JSON form"],
    [
      "a hole in an array",
      { list: new Array(2).fill(1, 0, 1) },
      "undefined",
      "list[1]",
      "undefined has no JSON form",
    ],
    ["undefined itself", undefined, "undefined", "(root)", "undefined has no JSON form"],
    ["a lone surrogate", { "odd key": "\ud800" }, "lone-surrogate", '["odd key"]', "not valid Unicode"],
    [
      "a lone surrogate in a key",
      { "\udc00": 1 },
      "lone-surrogate",
      '["\\udc00"]',
      "property name is not valid Unicode",
    ],
    ["a Date", { at: new Date(0) }, "unsupported-type", "at", "[object Date] is not a plain object"],
    ["a Map", new Map(), "unsupported-type", "(root)", "[object Map] is not a plain object"],
    ["a bigint", { n: 1n }, "unsupported-type", "n", "a bigint has no JSON form"],
    ["a function", [() => 1], "unsupported-type", "[0]", "a function has no JSON form"],
    ["a symbol", { s: Symbol("s") }, "unsupported-type", "s", "a symbol has no JSON form"],
  ])("rejects %s with a typed error naming the path", (_, value, problem, path, detail) => {
    expect(failure(value)).toEqual({ problem, path, message: expect.stringContaining(detail) });
    expect(() => canonicalize(value)).toThrow(CanonicalJsonError);
  });

  it("rejects a circular reference", () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = { back: loop };
    expect(failure(loop)).toEqual({
      problem: "circular-reference",
      path: "self.back",
      message: "cannot canonicalize self.back: the value contains itself",
    });
  });

  it("reports the first failure in canonical (sorted) order", () => {
    expect(failure({ z: Number.NaN, a: undefined, m: [undefined] })).toMatchObject({ path: "m[0]" });
  });

  it("throws an error that names itself and keeps the path", () => {
    const error = (() => {
      try {
        canonicalize({ x: Number.NaN });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(CanonicalJsonError);
    expect(error).toMatchObject({ name: "CanonicalJsonError", path: "x", problem: "non-finite-number" });
  });
});

describe("canonicalize properties", () => {
  it("is a fixed point through JSON.parse", () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: "binary" }), (value) => {
        const once = canonicalize(value);
        expect(canonicalize(JSON.parse(once))).toBe(once);
      }),
    );
  });

  it("never depends on key insertion order", () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: "binary" }), fc.nat(), (value, seed) => {
        const rotate = (keys: string[]) => [
          ...keys.slice(seed % (keys.length || 1)),
          ...keys.slice(0, seed % (keys.length || 1)),
        ];
        expect(canonicalize(reinserted(value, (keys) => [...keys].reverse()))).toBe(canonicalize(value));
        expect(canonicalize(reinserted(value, rotate))).toBe(canonicalize(value));
      }),
    );
  });

  it("equals JSON.stringify of a key-sorted copy (for JSON data)", () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: "binary" }), (value) => {
        expect(canonicalize(value)).toBe(JSON.stringify(sortedCopy(value)));
      }),
    );
  });
});
