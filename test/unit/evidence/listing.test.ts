import { describe, expect, it } from "vitest";
import { chainRecords } from "../../../core/evidence/hash-chain.ts";
import { evidenceKey } from "../../../core/evidence/layout.ts";
import { listRecords } from "../../../core/evidence/listing.ts";
import { compareManifestProblems, type ManifestProblem } from "../../../core/evidence/manifest-problem.ts";
import type { EvidenceDraft } from "../../../core/evidence/record.ts";
import { DAY1, DAY2, scenarioDrafts } from "../../support/evidence-scenario.ts";

const records = chainRecords(scenarioDrafts(), null).map((record) => ({ key: evidenceKey(record), record }));
const period = { from: DAY1, to: DAY2 };

describe("listRecords", () => {
  it("describes every record of the period in one line, oldest first", () => {
    // Act
    const listed = listRecords(records, { period });

    // Assess
    expect(listed.map((r) => [r.kind, r.lifecycle, r.lift, r.user, r.summary])).toEqual([
      ["user-run", "leaver", false, "alice@example.com", "3 AWS change(s), verified"],
      ["user-run", "leaver", false, "carol@example.com", "1 AWS change(s), 1 failed, verification FAILED"],
      ["user-run", "leaver", false, '=HYPERLINK("http://evil")', "1 AWS change(s), verified"],
      ["user-run", "leaver", false, "dave@example.com", "0 AWS change(s), verified"],
      ["estate-run", null, false, null, "2 AWS change(s), 1 failed, 2 finding(s)"],
      ["snapshot", null, false, null, "2 access row(s)"],
      ["user-run", "leaver", true, "alice@example.com", "Deny lifted after the hold"],
      ["user-run", "joiner", false, "erin@example.com", "1 AWS change(s), verified, 1 finding(s)"],
      ["user-run", "mover", false, "frank@example.com", "2 AWS change(s), verified"],
      [
        "estate-run",
        null,
        false,
        null,
        "0 AWS change(s), 1 finding(s); blocked: the plan deletes 2 of 2 assignments (max-delete-percent 10%)",
      ],
      ["snapshot", null, false, null, "3 access row(s)"],
    ]);
  });

  it("filters by user (login, Okta id or Identity Center id, any case) and by kind or lifecycle stage", () => {
    // Act + Assess
    expect(listRecords(records, { period, user: "ALICE@example.com" }).map((r) => r.lift)).toEqual([
      false,
      true,
    ]);
    expect(listRecords(records, { period, user: "00ufrank" }).map((r) => r.lifecycle)).toEqual(["mover"]);
    expect(listRecords(records, { period, user: "ic-erin" }).map((r) => r.lifecycle)).toEqual(["joiner"]);
    expect(listRecords(records, { period, kind: "snapshot" })).toHaveLength(2);
    expect(listRecords(records, { period, kind: "leaver" })).toHaveLength(5);
    expect(listRecords(records, { period: { from: DAY2, to: DAY2 }, kind: "estate-run" })).toHaveLength(1);
    expect(listRecords([{ key: "elsewhere", record: records[0]?.record as never }], { period })).toEqual([]);
  });
});

it("names a user without a login by their Okta id, counts a large snapshot's rows, and orders same-instant records by key", () => {
  // Prepare
  const alice = scenarioDrafts()[0] as Extract<EvidenceDraft, { kind: "user-run" }>;
  const noLogin: EvidenceDraft = {
    ...alice,
    recordId: "b.run",
    body: { ...alice.body, subject: { ...alice.body.subject, login: null } },
  };
  const object = {
    key: "v1/snapshots/2024/05/01/x.jsonl.gz",
    format: "jsonl.gz" as const,
    rows: 12,
    sha256: "ab".repeat(32),
  };
  const large: EvidenceDraft = {
    ...(scenarioDrafts()[5] as EvidenceDraft),
    createdAt: alice.createdAt,
    recordId: "a.snapshot",
    body: { object },
  } as EvidenceDraft;
  const chained = chainRecords([noLogin, large], null).map((record) => ({
    key: evidenceKey(record),
    record,
  }));

  // Act
  const listed = listRecords(chained, { period });

  // Assess
  expect(listed.map((r) => [r.user, r.summary])).toEqual([
    ["00ualice", "3 AWS change(s), verified"],
    [null, "12 access row(s)"],
  ]);
});

describe("compareManifestProblems", () => {
  it("orders by key, then by kind", () => {
    // Prepare
    const p = (kind: ManifestProblem["kind"], key: string) => ({ kind, key, message: "" }) as ManifestProblem;

    // Act
    const sorted = [p("unsigned-record", "b"), p("record-missing", "b"), p("bad-signature", "a")].sort(
      compareManifestProblems,
    );

    // Assess
    expect(sorted.map((x) => `${x.key}:${x.kind}`)).toEqual([
      "a:bad-signature",
      "b:record-missing",
      "b:unsigned-record",
    ]);
  });
});
