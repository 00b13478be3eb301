import { describe, expect, it } from "vitest";
import {
  compareStorageOrder,
  dayOfManifestKey,
  dayOfRecordKey,
  evidenceKey,
  manifestKey,
} from "../../../core/evidence/layout.ts";
import {
  addDays,
  dayOfInstant,
  daysOf,
  inPeriod,
  isDay,
  monthFoldersOf,
  PeriodError,
  parsePeriod,
} from "../../../core/evidence/period.ts";

describe("evidence layout", () => {
  it("files runs and snapshots by kind and the day and time they were created", () => {
    // Act + Assess
    expect(evidenceKey({ kind: "user-run", createdAt: "2026-11-23T21:53:07.123Z", recordId: "u.run" })).toBe(
      "v1/runs/2026/11/23/215307123-u.run.json",
    );
    expect(
      evidenceKey({ kind: "snapshot", createdAt: "2026-01-02T03:04:05.006Z", recordId: "e.snapshot" }),
    ).toBe("v1/snapshots/2026/01/02/030405006-e.snapshot.json");
    expect(manifestKey("2026-01-02")).toBe("v1/chain/2026/01/02.json");
  });

  it("reads the day back from a key, and nothing from keys that are not evidence", () => {
    expect(dayOfRecordKey("v1/snapshots/2026/01/02/030405006-e.snapshot.json")).toBe("2026-01-02");
    expect(dayOfRecordKey("v1/chain/2026/01/02.json")).toBeNull();
    expect(dayOfManifestKey("v1/chain/2026/01/02.json")).toBe("2026-01-02");
    expect(dayOfManifestKey("v1/runs/2026/01/02/030405006-e.json")).toBeNull();
  });

  it("orders keys by time across kind folders, with other keys last", () => {
    // Prepare
    const keys = [
      "zzz",
      "v1/snapshots/2026/01/02/030405007-b.json",
      "v1/runs/2026/01/02/030405006-a.json",
      "v1/runs/2026/01/01/230405006-c.json",
      "aaa",
    ];

    // Act
    const sorted = [...keys].sort(compareStorageOrder);

    // Assess
    expect(sorted).toEqual([
      "v1/runs/2026/01/01/230405006-c.json",
      "v1/runs/2026/01/02/030405006-a.json",
      "v1/snapshots/2026/01/02/030405007-b.json",
      "aaa",
      "zzz",
    ]);
    expect(compareStorageOrder("aaa", "aaa")).toBe(0);
  });
});

describe("evidence periods", () => {
  it("accepts real days only, and a period that does not end before it starts", () => {
    expect(isDay("2024-02-29")).toBe(true);
    expect(isDay("2023-02-29")).toBe(false);
    expect(isDay("2024-2-1")).toBe(false);
    expect(parsePeriod("2024-01-01", "2024-12-31")).toEqual({ from: "2024-01-01", to: "2024-12-31" });
    expect(() => parsePeriod("2024-13-01", "2024-12-31")).toThrow(PeriodError);
    expect(() => parsePeriod("2024-01-01", "yesterday")).toThrow(
      '--to must be a day written YYYY-MM-DD, got "yesterday"',
    );
    expect(() => parsePeriod("2024-02-01", "2024-01-31")).toThrow(
      "--from 2024-02-01 is after --to 2024-01-31",
    );
  });

  it("walks days and month folders across month and year ends", () => {
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(daysOf({ from: "2024-12-30", to: "2025-01-02" })).toEqual([
      "2024-12-30",
      "2024-12-31",
      "2025-01-01",
      "2025-01-02",
    ]);
    expect(monthFoldersOf({ from: "2024-11-30", to: "2025-01-01" })).toEqual([
      "2024/11/",
      "2024/12/",
      "2025/01/",
    ]);
    expect(dayOfInstant("2024-05-01T23:59:59.999Z")).toBe("2024-05-01");
    expect(inPeriod({ from: "2024-05-01", to: "2024-05-02" }, "2024-05-02")).toBe(true);
    expect(inPeriod({ from: "2024-05-01", to: "2024-05-02" }, "2024-05-03")).toBe(false);
  });
});
