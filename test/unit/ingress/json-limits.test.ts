import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkJsonLimits, DEFAULT_JSON_LIMITS } from "../../../core/ingress/json-limits.ts";

/** Depth and longest array of a parsed value, computed the obvious (recursive) way. */
function measure(value: unknown): { depth: number; longest: number } {
  if (Array.isArray(value)) {
    const inner = value.map(measure);
    return {
      depth: 1 + Math.max(0, ...inner.map((m) => m.depth)),
      longest: Math.max(value.length, ...inner.map((m) => m.longest)),
    };
  }
  if (typeof value === "object" && value !== null) {
    const inner = Object.values(value).map(measure);
    return {
      depth: 1 + Math.max(0, ...inner.map((m) => m.depth)),
      longest: Math.max(0, ...inner.map((m) => m.longest)),
    };
  }
  return { depth: 0, longest: 0 };
}

describe("checkJsonLimits", () => {
  it("accepts an Okta hook body well inside the defaults", () => {
    // Prepare
    const body = JSON.stringify({
      eventType: "com.okta.event_hook",
      data: { events: [{ uuid: "u", target: [{ id: "00u", type: "User" }], client: { ipChain: [{}] } }] },
    });

    // Act
    const violation = checkJsonLimits(body);

    // Assess
    expect(violation).toBeNull();
    expect(DEFAULT_JSON_LIMITS).toEqual({ maxDepth: 32, maxArrayLength: 1000 });
  });

  it("names the depth limit for a body nested one level too deep", () => {
    // Prepare
    const limits = { maxDepth: 3, maxArrayLength: 10 };

    // Act
    const ok = checkJsonLimits('{"a":[{"b":1}]}', limits);
    const deep = checkJsonLimits('{"a":[{"b":[1]}]}', limits);

    // Assess
    expect(ok).toBeNull();
    expect(deep).toEqual({
      limit: "maxDepth",
      max: 3,
      message: "JSON nests deeper than 3 levels (maxDepth 3)",
    });
  });

  it("names the array length limit, counting elements at each level separately", () => {
    // Prepare
    const limits = { maxDepth: 5, maxArrayLength: 3 };

    // Act
    const three = checkJsonLimits('[[1,2,3],{"x":1,"y":2,"z":3,"w":4},"a,b,c,d"]', limits);
    const four = checkJsonLimits("[1,[2,3],4,5]", limits);

    // Assess
    expect(three).toBeNull();
    expect(four).toEqual({
      limit: "maxArrayLength",
      max: 3,
      message: "a JSON array has more than 3 elements (maxArrayLength 3)",
    });
  });

  it("skips brackets, commas and escaped quotes inside strings", () => {
    // Act
    const violation = checkJsonLimits(JSON.stringify(['[[[[,,,,"\\', '{{{{"']), {
      maxDepth: 1,
      maxArrayLength: 2,
    });

    // Assess
    expect(violation).toBeNull();
  });

  it("leaves commas outside any array (invalid JSON) to JSON.parse", () => {
    // Act
    const violation = checkJsonLimits("1,2,3", { maxDepth: 1, maxArrayLength: 1 });

    // Assess
    expect(violation).toBeNull();
  });

  it("stops early on a hostile body instead of walking all of it", () => {
    // Prepare: a megabyte of nothing but opening brackets
    const hostile = "[".repeat(1_000_000);

    // Act
    const started = performance.now();
    const violation = checkJsonLimits(hostile);
    const elapsed = performance.now() - started;

    // Assess
    expect(violation?.limit).toBe("maxDepth");
    expect(elapsed).toBeLessThan(1000);
  });

  it("agrees with a recursive measurement of any JSON value", () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        (value, maxDepth, maxArrayLength) => {
          // Act
          const { depth, longest } = measure(value);
          const violation = checkJsonLimits(JSON.stringify(value), { maxDepth, maxArrayLength });

          // Assess
          expect(violation === null).toBe(depth <= maxDepth && longest <= maxArrayLength);
        },
      ),
    );
  });
});
