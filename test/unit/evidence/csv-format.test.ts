import { describe, expect, it } from "vitest";
import { toCsv } from "../../../core/evidence/csv.ts";
import { formatDuration, percent, toSeconds } from "../../../core/evidence/format.ts";

describe("toCsv", () => {
  it("writes RFC 4180 CSV: CRLF, quotes where needed, doubled quotes, empty for null", () => {
    // Act
    const csv = toCsv(
      ["a", "b", "c"],
      [
        ["plain", 'say "hi", twice', null],
        ["line\nbreak", 1.5, " padded"],
      ],
    );

    // Assess
    expect(csv).toBe('a,b,c\r\nplain,"say ""hi"", twice",\r\n"line\nbreak",1.5," padded"\r\n');
  });

  it("defuses text a spreadsheet would run as a formula, but not numbers", () => {
    // Act
    const csv = toCsv(["x"], [['=HYPERLINK("http://evil")'], ["+1"], ["-cmd"], ["@SUM(A1)"], ["\tx"], [-3]]);

    // Assess
    expect(csv.split("\r\n")).toEqual([
      "x",
      '"\'=HYPERLINK(""http://evil"")"',
      "'+1",
      "'-cmd",
      "'@SUM(A1)",
      "'\tx",
      "-3",
      "",
    ]);
  });
});

describe("formatDuration", () => {
  it("says a duration in the unit people read it in", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(12_340)).toBe("12.3 s");
    expect(formatDuration(252_000)).toBe("4 min 12 s");
    expect(formatDuration(3_900_000)).toBe("1 h 05 min");
    expect(formatDuration(183_600_000)).toBe("2 d 03 h");
    expect(formatDuration(-1_500)).toBe("-1.5 s");
  });

  it("writes seconds with millisecond precision and percentages with one decimal", () => {
    expect(toSeconds(1_234)).toBe(1.234);
    expect(toSeconds(null)).toBeNull();
    expect(percent(1, 3)).toBe("33.3%");
    expect(percent(0, 0)).toBeNull();
  });
});
