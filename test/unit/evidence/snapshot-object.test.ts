import { describe, expect, it } from "vitest";
import { parseEvidenceRecord } from "../../../core/evidence/record.ts";

const header = {
  schemaVersion: 1,
  recordId: "run-1.snapshot",
  runId: "run-1",
  kind: "snapshot",
  createdAt: "2026-11-23T21:00:00.000Z",
  sequence: 3,
  previousHash: "ab".repeat(32),
};

describe("snapshot record stored by reference", () => {
  it("accepts a snapshot whose rows live in a gzipped JSON Lines object the record vouches for", () => {
    const record = {
      ...header,
      body: {
        object: {
          key: "v1/snapshots/2026/11/23/run-1.jsonl.gz",
          format: "jsonl.gz",
          rows: 5_000_001,
          sha256: "cd".repeat(32),
        },
      },
    };
    expect(parseEvidenceRecord(record)).toEqual({ success: true, data: record });
  });

  it("rejects a reference without a valid SHA-256", () => {
    const record = { ...header, body: { object: { key: "k", format: "jsonl.gz", rows: 1, sha256: "nope" } } };
    expect(parseEvidenceRecord(record).success).toBe(false);
  });
});
