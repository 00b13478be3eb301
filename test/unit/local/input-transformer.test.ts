import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compileInputTransformer,
  InputTransformOutputError,
  InvalidInputTransformerError,
  parseJsonPath,
} from "../../../local/runtime/input-transformer.ts";

const event = {
  version: "0",
  id: "7bf73129-1428-4cd3-a780-95db273d1602",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  time: "2015-11-11T21:29:54Z",
  resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
  detail: { "instance-id": "i-0123456789", state: "RUNNING", count: 2, tags: { a: "b" }, ok: true },
};

const transform = (inputPathsMap: Record<string, string>, inputTemplate: string) =>
  compileInputTransformer({ inputPathsMap, inputTemplate })(event);

describe("input transformer: JSON paths", () => {
  it("reads dot paths, dashed keys and array indices", () => {
    expect(parseJsonPath("$.detail.instance-id")).toEqual(["detail", "instance-id"]);
    expect(parseJsonPath("$.detail-type")).toEqual(["detail-type"]);
    expect(parseJsonPath("$.resources[0]")).toEqual(["resources", 0]);
    expect(parseJsonPath("$")).toEqual([]);
  });

  it.each([
    ["no $", "detail.state"],
    ["bracket notation", "$['detail']"],
    ["an empty key", "$.detail..state"],
    ["a space in a key", "$.detail.a b"],
    ["a trailing dot", "$.detail."],
  ])("refuses %s", (_what, path) => {
    expect(() => parseJsonPath(path)).toThrow(InvalidInputTransformerError);
  });

  it("rejects wildcards as not implemented", () => {
    expect(() => parseJsonPath("$.detail.*")).toThrow(
      /wildcard, which the local event bus does not implement/,
    );
  });
});

describe("input transformer: templates", () => {
  it("quotes a string placed outside quotes and puts one inside a string as is (EventBridge's examples)", () => {
    // Prepare / Act
    const output = transform(
      { instance: "$.detail.instance-id", state: "$.detail.state" },
      '{"instance": <instance>, "state": "<state>", "status": "instance \\"<instance>\\" is in <state>"}',
    );
    // Assess
    expect(JSON.parse(output)).toEqual({
      instance: "i-0123456789",
      state: "RUNNING",
      status: 'instance "i-0123456789" is in RUNNING',
    });
  });

  it("puts numbers, booleans, objects and arrays in as JSON", () => {
    const output = transform(
      { count: "$.detail.count", tags: "$.detail.tags", ok: "$.detail.ok", resources: "$.resources" },
      '{"count": <count>, "tags": <tags>, "ok": <ok>, "resources": <resources>, "text": "n=<count>"}',
    );
    expect(JSON.parse(output)).toEqual({
      count: 2,
      tags: { a: "b" },
      ok: true,
      resources: event.resources,
      text: "n=2",
    });
  });

  it("fills a plain-text template with the values as text", () => {
    expect(transform({ instance: "$.detail.instance-id" }, "instance <instance> is up")).toBe(
      "instance i-0123456789 is up",
    );
  });

  it("creates no variable for a missing path: a quoted placeholder becomes empty", () => {
    expect(JSON.parse(transform({ gone: "$.detail.nothing.here" }, '{"gone": "<gone>"}'))).toEqual({
      gone: "",
    });
    expect(JSON.parse(transform({ gone: "$.resources[5]" }, '{"gone": "<gone>"}'))).toEqual({ gone: "" });
    expect(JSON.parse(transform({ gone: "$.detail.state.length" }, '{"gone": "<gone>"}'))).toEqual({
      gone: "",
    });
  });

  it("fails the delivery when a JSON template does not give JSON (a missing unquoted variable)", () => {
    expect(() => transform({ gone: "$.detail.nothing" }, '{"gone": <gone>}')).toThrow(
      InputTransformOutputError,
    );
  });

  it("does not escape extracted values, so a quote in a value breaks a JSON template, as in EventBridge", () => {
    const run = compileInputTransformer({ inputPathsMap: { v: "$.v" }, inputTemplate: '{"v": "<v>"}' });
    expect(() => run({ v: 'say "hi"' })).toThrow(InputTransformOutputError);
  });

  it("leaves a placeholder that names no variable as written", () => {
    expect(transform({}, "<b>bold</b> <state>")).toBe("<b>bold</b> <state>");
  });

  it("refuses reserved variables, too many variables and reserved names when compiled", () => {
    expect(() => transform({}, '{"rule": <aws.events.rule-name>}')).toThrow(/reserved variable/);
    expect(() => transform({ "aws.x": "$.id" }, "<aws.x>")).toThrow(/reserved/);
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`v${i}`, "$.id"]));
    expect(() => transform(many, "x")).toThrow(/at most 100/);
  });
});

describe("input transformer: properties", () => {
  // Strings JSON writes as they are (no quote, backslash or control character), without placeholders.
  const plain = fc.string().filter((s) => JSON.stringify(s) === `"${s}"` && !/[<>]/.test(s));

  it("a string without quotes or backslashes comes through a quoted placeholder unchanged", () => {
    fc.assert(
      fc.property(plain, (value) => {
        const run = compileInputTransformer({
          inputPathsMap: { v: "$.detail.v" },
          inputTemplate: '{"v":"<v>"}',
        });
        expect(JSON.parse(run({ detail: { v: value } }))).toEqual({ v: value });
      }),
    );
  });

  it("any JSON value without strings to escape comes through an unquoted placeholder unchanged", () => {
    const value = fc.jsonValue().filter((v) => !JSON.stringify(v).includes("\\"));
    fc.assert(
      fc.property(value, (v) => {
        const run = compileInputTransformer({ inputPathsMap: { v: "$.v" }, inputTemplate: '{"v": <v>}' });
        expect(JSON.parse(run({ v }))).toEqual({ v: JSON.parse(JSON.stringify(v)) });
      }),
    );
  });
});
