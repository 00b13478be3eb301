import { describe, expect, it } from "vitest";
import { checkDeleteMarkers } from "../../../core/evidence/delete-markers.ts";
import { compareNotes, type EvidenceNote } from "../../../core/evidence/evidence-note.ts";
import { dayOfEvidenceKey } from "../../../core/evidence/layout.ts";

const period = { from: "2024-05-01", to: "2024-05-02" };

describe("checkDeleteMarkers", () => {
  it("reports every delete marker on a key of the period, and on keys outside the layout", () => {
    // Act
    const check = checkDeleteMarkers(
      {
        markers: [
          {
            key: "v1/runs/2024/05/01/100000000-r.json",
            versionId: "v1",
            lastModified: "2024-05-03T00:00:00.000Z",
          },
          { key: "v1/chain/2024/05/02.json", versionId: "v2", lastModified: null },
          { key: "v1/snapshots/2024/05/03/run.jsonl.gz", versionId: "v3", lastModified: null },
          { key: "v1/runs/2024/05/stray", versionId: "v4", lastModified: null },
        ],
      },
      period,
    );

    // Assess
    expect(check.notes).toEqual([]);
    expect(check.problems.map((p) => [p.kind, p.key, p.versionId])).toEqual([
      ["delete-marker", "v1/runs/2024/05/01/100000000-r.json", "v1"],
      ["delete-marker", "v1/chain/2024/05/02.json", "v2"],
      ["delete-marker", "v1/runs/2024/05/stray", "v4"],
    ]);
    expect(check.problems[0]?.message).toBe(
      "v1/runs/2024/05/01/100000000-r.json is hidden by a delete marker (version v1, 2024-05-03T00:00:00.000Z): evidence is never deleted, so someone hid it; its earlier versions are still in the bucket",
    );
    expect(check.problems[1]?.message).toContain("(version v2):");
  });

  it("says so when the store cannot list versions, without failing", () => {
    // Act
    const check = checkDeleteMarkers({ unavailable: "this store cannot list object versions" }, period);

    // Assess
    expect(check).toEqual({
      problems: [],
      notes: [
        {
          kind: "check-unavailable",
          check: "delete-markers",
          message: "delete markers were not checked: this store cannot list object versions",
        },
      ],
    });
  });
});

describe("dayOfEvidenceKey and compareNotes", () => {
  it("files records, rows objects and manifests under their day; other keys under none", () => {
    expect(dayOfEvidenceKey("v1/snapshots/2024/05/03/run.jsonl.gz")).toBe("2024-05-03");
    expect(dayOfEvidenceKey("v1/chain/2024/05/02.json")).toBe("2024-05-02");
    expect(dayOfEvidenceKey("v1/runs/2024/05/stray")).toBeNull();
  });

  it("orders notes by kind, then key or check", () => {
    // Prepare
    const covered = (key: string): EvidenceNote => ({
      kind: "not-yet-covered",
      key,
      date: "2024-05-02",
      manifestKey: "v1/chain/2024/05/02.json",
      latestManifestAt: null,
      message: "",
    });
    const unavailable = (check: "chain-head" | "delete-markers"): EvidenceNote => ({
      kind: "check-unavailable",
      check,
      message: "",
    });

    // Act
    const sorted = [
      covered("b"),
      unavailable("delete-markers"),
      covered("a"),
      unavailable("chain-head"),
      covered("a"),
    ].sort(compareNotes);

    // Assess
    expect(sorted.map((n) => (n.kind === "check-unavailable" ? n.check : n.key))).toEqual([
      "chain-head",
      "delete-markers",
      "a",
      "a",
      "b",
    ]);
  });
});
