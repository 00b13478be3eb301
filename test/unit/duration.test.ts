import { describe, expect, it } from "vitest";
import { addMs, durationMs, InvalidDurationError } from "../../core/duration.ts";

describe("durationMs", () => {
  it.each([
    ["PT12H", 12 * 3_600_000],
    ["PT90M", 90 * 60_000],
    ["PT1H30M", 90 * 60_000],
  ])("reads %s", (iso, ms) => {
    expect(durationMs(iso)).toBe(ms);
  });

  it.each(["PT", "P1D", "12h", ""])("rejects %j naming the value", (iso) => {
    expect(() => durationMs(iso)).toThrow(InvalidDurationError);
    expect(() => durationMs(iso)).toThrow(`'${iso}' is not an ISO-8601 duration`);
  });

  it("adds milliseconds to an instant", () => {
    expect(addMs("2026-01-01T00:00:00.000Z", 3_600_000)).toBe("2026-01-01T01:00:00.000Z");
  });
});
