import { describe, expect, it } from "vitest";
import type { ChainProblem } from "../../../core/evidence/chain-problem.ts";
import { chainRecords, hashJson } from "../../../core/evidence/hash-chain.ts";
import { type ChainEntry, verifyChain } from "../../../core/evidence/verify-chain.ts";
import { at, drafts, keyOf, recordAt, stored, storedChain } from "./evidence-builders.ts";

/** [kind, the key a problem is about] for compact expectations. */
const summary = (problems: ChainProblem[]) =>
  problems.map((p) => [
    p.kind,
    p.kind === "gap" ? p.afterKey : p.kind === "duplicate" ? p.keys.join() : p.key,
  ]);
const swapRecords = (entries: ChainEntry[], a: number, b: number) => {
  const first = recordAt(entries, a);
  (entries[a] as ChainEntry).record = recordAt(entries, b);
  (entries[b] as ChainEntry).record = first;
};

describe("verifyChain: an intact chain", () => {
  it("verifies every record of a chain built by chainRecords", () => {
    const entries = storedChain(5);
    expect(verifyChain(entries)).toEqual({ ok: true, problems: [], verified: 5 });
  });

  it("verifies an empty list (nothing to contradict)", () => {
    expect(verifyChain([])).toEqual({ ok: true, problems: [], verified: 0 });
  });

  it("verifies a range that starts mid-chain against its anchor", () => {
    const full = chainRecords(drafts(6), null);
    const entries = stored(full).slice(3);
    const anchor = { sequence: 3, previousHash: hashJson(full[2]) };
    expect(verifyChain(entries, { expectedFirst: anchor })).toEqual({ ok: true, problems: [], verified: 3 });
  });
});

describe("verifyChain: gap", () => {
  it("names the missing sequence and the keys around it", () => {
    const entries = storedChain(5);
    entries.splice(2, 1);
    expect(verifyChain(entries)).toEqual({
      ok: false,
      verified: 4,
      problems: [
        {
          kind: "gap",
          missing: { from: 2, to: 2 },
          beforeKey: keyOf(1),
          afterKey: keyOf(3),
          message: `sequence 2 is missing between ${keyOf(1)} and ${keyOf(3)}`,
        },
      ],
    });
  });

  it("reports several missing records as one range", () => {
    const entries = storedChain(6);
    entries.splice(1, 3);
    expect(verifyChain(entries).problems).toEqual([
      expect.objectContaining({
        kind: "gap",
        missing: { from: 1, to: 3 },
        beforeKey: keyOf(0),
        afterKey: keyOf(4),
        message: `sequences 1 to 3 are missing between ${keyOf(0)} and ${keyOf(4)}`,
      }),
    ]);
  });

  it("reports a missing genesis record as a gap at the start", () => {
    const entries = storedChain(3).slice(1);
    expect(verifyChain(entries).problems).toEqual([
      expect.objectContaining({
        kind: "gap",
        missing: { from: 0, to: 0 },
        beforeKey: null,
        afterKey: keyOf(1),
      }),
    ]);
  });

  it("reports a range that does not reach its anchor's sequence as a gap at the start", () => {
    const full = chainRecords(drafts(5), null);
    const entries = stored(full).slice(3);
    const anchor = { sequence: 2, previousHash: hashJson(full[1]) };
    expect(verifyChain(entries, { expectedFirst: anchor }).problems).toEqual([
      expect.objectContaining({
        kind: "gap",
        missing: { from: 2, to: 2 },
        beforeKey: null,
        afterKey: keyOf(3),
      }),
    ]);
  });

  it("cannot see a removed LAST record: nothing after it vouches for it (the signed manifest does)", () => {
    const entries = storedChain(4);
    entries.pop();
    expect(verifyChain(entries)).toEqual({ ok: true, problems: [], verified: 3 });
  });
});

describe("verifyChain: reorder", () => {
  it("names both records of a swap, with the record each one follows in chain order", () => {
    const entries = storedChain(5);
    swapRecords(entries, 1, 3);
    expect(verifyChain(entries)).toEqual({
      ok: false,
      verified: 3,
      problems: [
        {
          kind: "reorder",
          key: keyOf(3),
          sequence: 1,
          followsKey: keyOf(0),
          message: `${keyOf(3)} (sequence 1) is stored out of order: its hash-linked sequence and its createdAt place it after ${keyOf(0)}`,
        },
        expect.objectContaining({ kind: "reorder", key: keyOf(1), sequence: 3, followsKey: keyOf(2) }),
      ],
    });
  });

  it("says when a reordered record comes first in chain order", () => {
    const entries = storedChain(3);
    swapRecords(entries, 0, 1);
    expect(verifyChain(entries).problems).toEqual([
      expect.objectContaining({ kind: "reorder", key: keyOf(1), sequence: 0, followsKey: null }),
      expect.objectContaining({ kind: "reorder", key: keyOf(0), sequence: 1, followsKey: keyOf(1) }),
    ]);
    expect(verifyChain(entries).problems[0]?.message).toContain("after nothing (it comes first)");
  });

  it("accepts records of the same millisecond listed in either order", () => {
    const sameInstant = drafts(4).map((draft, i) =>
      i === 1 || i === 2 ? { ...draft, createdAt: at(1_000) } : draft,
    );
    const entries = stored(chainRecords(sameInstant, null));
    swapRecords(entries, 1, 2);
    expect(verifyChain(entries)).toEqual({ ok: true, problems: [], verified: 4 });
  });

  it("accepts keys that list by createdAt when clocks disagree with the chain order", () => {
    const skewed = drafts(3).map((draft, i) => (i === 1 ? { ...draft, createdAt: at(2_500) } : draft));
    const entries = stored(chainRecords(skewed, null));
    swapRecords(entries, 1, 2);
    expect(verifyChain(entries).ok).toBe(true);
  });
});

describe("verifyChain: modified", () => {
  it("names the altered record, not the next one whose previousHash stopped matching", () => {
    const entries = storedChain(6);
    const body = recordAt(entries, 3).body as { actions: { status: string }[] };
    (body.actions[1] as { status: string }).status = "FAILED";
    expect(verifyChain(entries)).toEqual({
      ok: false,
      verified: 5,
      problems: [
        {
          kind: "modified",
          key: keyOf(3),
          sequence: 3,
          reasons: ["content"],
          message: `${keyOf(3)} was modified: its hash does not match the previousHash recorded by ${keyOf(4)}`,
        },
      ],
    });
  });

  it("names a record whose previousHash was altered", () => {
    const entries = storedChain(5);
    recordAt(entries, 2).previousHash = "0".repeat(64);
    expect(verifyChain(entries).problems).toEqual([
      {
        kind: "modified",
        key: keyOf(2),
        sequence: 2,
        reasons: ["previous-hash"],
        message: `${keyOf(2)} was modified: its previousHash does not match ${keyOf(1)} and its hash does not match the previousHash of ${keyOf(3)}`,
      },
    ]);
  });

  it("names a record whose sequence was altered, without inventing a gap or a duplicate", () => {
    const entries = storedChain(5);
    recordAt(entries, 2).sequence = 3;
    expect(verifyChain(entries).problems).toEqual([
      expect.objectContaining({
        kind: "modified",
        key: keyOf(2),
        sequence: 2,
        reasons: ["sequence", "content"],
      }),
    ]);
  });

  it("names a genesis record whose sequence was altered (and says it is invalid)", () => {
    const entries = storedChain(3);
    recordAt(entries, 0).sequence = 9;
    expect(verifyChain(entries).problems).toEqual([
      expect.objectContaining({ kind: "invalid", key: keyOf(0), sequence: 0 }),
      expect.objectContaining({
        kind: "modified",
        key: keyOf(0),
        sequence: 0,
        reasons: ["sequence", "content"],
      }),
    ]);
  });

  it("names a record whose sequence was deleted (and says it is invalid)", () => {
    const entries = storedChain(3);
    delete recordAt(entries, 1).sequence;
    const problems = verifyChain(entries).problems;
    expect(summary(problems)).toEqual([
      ["invalid", keyOf(1)],
      ["modified", keyOf(1)],
    ]);
    expect(problems[1]?.message).toContain("its sequence is undefined but its hash link places it at 1");
  });

  it("names a record re-linked to the last record, without reporting its old place as a gap", () => {
    const entries = storedChain(5);
    recordAt(entries, 1).previousHash = hashJson(recordAt(entries, 4));
    expect(verifyChain(entries).problems).toEqual([
      expect.objectContaining({ kind: "modified", key: keyOf(1), sequence: 5, reasons: ["sequence"] }),
    ]);
  });

  it("reports only the truly missing part of a gap that re-linked records still claim", () => {
    const entries = storedChain(8);
    recordAt(entries, 1).previousHash = hashJson(recordAt(entries, 7));
    recordAt(entries, 2).previousHash = hashJson(recordAt(entries, 1));
    entries.splice(3, 1);
    expect(verifyChain(entries).problems).toEqual([
      expect.objectContaining({
        kind: "gap",
        missing: { from: 3, to: 3 },
        beforeKey: keyOf(0),
        afterKey: keyOf(4),
      }),
      expect.objectContaining({ kind: "modified", key: keyOf(1), sequence: 8, reasons: ["sequence"] }),
      expect.objectContaining({ kind: "modified", key: keyOf(2), sequence: 9, reasons: ["sequence"] }),
    ]);
  });

  it("names a record re-linked to a place another record holds", () => {
    const entries = storedChain(5);
    recordAt(entries, 3).previousHash = hashJson(recordAt(entries, 1));
    expect(verifyChain(entries).problems).toEqual([
      expect.objectContaining({ kind: "modified", key: keyOf(3), sequence: 3, reasons: ["previous-hash"] }),
    ]);
  });

  it("names a mid-chain record whose previousHash was set to null (and says it is invalid)", () => {
    const entries = storedChain(4);
    recordAt(entries, 2).previousHash = null;
    expect(verifyChain(entries).problems).toEqual([
      expect.objectContaining({
        kind: "invalid",
        key: keyOf(2),
        errors: [
          {
            path: "previousHash",
            message: "only the first record of the chain (sequence 0) may have a null previousHash",
          },
        ],
      }),
      expect.objectContaining({ kind: "modified", key: keyOf(2), reasons: ["previous-hash"] }),
    ]);
  });

  it("cannot tell the second-to-last record's content from the last record's previousHash: names both", () => {
    const altered = storedChain(4);
    recordAt(altered, 2).createdAt = at(999);
    const relinked = storedChain(4);
    recordAt(relinked, 3).previousHash = "f".repeat(64);
    const expected = [
      {
        kind: "modified",
        key: keyOf(2),
        sequence: 2,
        reasons: ["content"],
        alternativeKey: keyOf(3),
        message: `${keyOf(2)} was modified: its hash does not match the previousHash recorded by ${keyOf(3)} (or ${keyOf(3)}'s previousHash was altered)`,
      },
    ];
    expect(verifyChain(altered).problems).toEqual(expected);
    expect(verifyChain(relinked).problems).toEqual(expected);
  });

  it("cannot see an altered LAST record whose schema still holds (the signed manifest does)", () => {
    const entries = storedChain(3);
    recordAt(entries, 2).createdAt = at(123_456);
    expect(verifyChain(entries).ok).toBe(true);
  });

  it("blames the fewest records when two neighbours were altered", () => {
    const entries = storedChain(6);
    recordAt(entries, 2).previousHash = "1".repeat(64);
    recordAt(entries, 3).runId = "forged";
    expect(verifyChain(entries).problems).toEqual([
      expect.objectContaining({ kind: "modified", key: keyOf(2), reasons: ["previous-hash"] }),
      expect.objectContaining({ kind: "modified", key: keyOf(3), reasons: ["content"] }),
    ]);
  });
});

describe("verifyChain: duplicate", () => {
  it("names every key holding a copy of the same record", () => {
    const entries = storedChain(4);
    entries.splice(3, 0, { key: `${keyOf(2)}.copy`, record: structuredClone(recordAt(entries, 2)) });
    expect(verifyChain(entries)).toEqual({
      ok: false,
      verified: 3,
      problems: [
        {
          kind: "duplicate",
          sequence: 2,
          keys: [keyOf(2), `${keyOf(2)}.copy`],
          message: `2 records hold chain position 2: ${keyOf(2)}, ${keyOf(2)}.copy`,
        },
      ],
    });
  });

  it("names a rival record at a taken position and keeps the chain through the vouched-for one", () => {
    const entries = storedChain(4);
    const rival = { ...structuredClone(recordAt(entries, 2)), runId: "rival" };
    entries.splice(2, 0, { key: `${keyOf(2)}.rival`, record: rival });
    expect(verifyChain(entries).problems).toEqual([
      expect.objectContaining({ kind: "duplicate", sequence: 2, keys: [`${keyOf(2)}.rival`, keyOf(2)] }),
    ]);
  });
});

describe("verifyChain: invalid", () => {
  it("names the key and the path inside the record, and still checks the links", () => {
    const entries = storedChain(4);
    const body = recordAt(entries, 0).body as { actions: { status: string }[] };
    (body.actions[0] as { status: string }).status = "DONE";
    const problems = verifyChain(entries).problems;
    expect(problems).toEqual([
      expect.objectContaining({
        kind: "invalid",
        key: keyOf(0),
        sequence: 0,
        errors: [{ path: "body.actions[0].status", message: expect.stringContaining("SUCCEEDED") }],
      }),
      expect.objectContaining({ kind: "modified", key: keyOf(0), reasons: ["content"] }),
    ]);
    expect(problems[0]?.message).toMatch(
      /^v1\/runs\/2024\/05\/01\/0000\.json is not a valid evidence record: body\.actions\[0\]\.status: /,
    );
  });

  it("reports a value that is not a record at all, without a chain position, last", () => {
    const entries = storedChain(2);
    entries.splice(1, 0, { key: "v1/runs/garbage.json", record: "not a record" });
    expect(verifyChain(entries)).toEqual({
      ok: false,
      verified: 2,
      problems: [
        {
          kind: "invalid",
          key: "v1/runs/garbage.json",
          sequence: null,
          errors: [{ path: "(root)", message: expect.stringContaining("expected object") }],
          message: expect.stringContaining("v1/runs/garbage.json is not a valid evidence record"),
        },
      ],
    });
  });

  it("reports a string that is not valid Unicode (no canonical form) and still blames the right record", () => {
    const entries = storedChain(3);
    recordAt(entries, 1).runId = "run-\ud800";
    expect(verifyChain(entries).problems).toEqual([
      expect.objectContaining({
        kind: "invalid",
        key: keyOf(1),
        errors: [
          {
            path: "runId",
            message: "cannot canonicalize runId: the string is not valid Unicode (lone surrogate)",
          },
        ],
      }),
      expect.objectContaining({ kind: "modified", key: keyOf(1), reasons: ["content"] }),
    ]);
  });

  it("places a record after an unplaceable predecessor by its own sequence", () => {
    const entries = storedChain(3);
    const first = recordAt(entries, 0);
    first.sequence = "zero";
    first.previousHash = 42;
    (entries[1] as ChainEntry).record = { ...recordAt(entries, 1), previousHash: hashJson(first) };
    expect(summary(verifyChain(entries).problems)).toEqual([
      ["gap", keyOf(1)],
      ["modified", keyOf(1)],
      ["invalid", keyOf(0)],
    ]);
  });
});

describe("verifyChain: genesis", () => {
  it("reports a first record (sequence 0) that carries a previousHash", () => {
    const entries = stored(chainRecords(drafts(3), { hash: "a".repeat(64), sequence: -1 }));
    expect(verifyChain(entries)).toEqual({
      ok: false,
      verified: 2,
      problems: [
        {
          kind: "genesis",
          key: keyOf(0),
          sequence: 0,
          reason: "previous-hash",
          message: `${keyOf(0)} (sequence 0) is first but its previousHash is ${"a".repeat(64)}, expected null`,
        },
      ],
    });
  });

  it("reports a genesis record whose previousHash was altered as both a wrong start and a modification", () => {
    const entries = storedChain(3);
    recordAt(entries, 0).previousHash = "b".repeat(64);
    expect(summary(verifyChain(entries).problems)).toEqual([
      ["genesis", keyOf(0)],
      ["modified", keyOf(0)],
    ]);
  });

  it("reports a range whose first record does not link to the anchor", () => {
    const entries = storedChain(3, { hash: "c".repeat(64), sequence: 9 });
    const problems = verifyChain(entries, {
      expectedFirst: { sequence: 10, previousHash: "d".repeat(64) },
    }).problems;
    expect(problems).toEqual([
      expect.objectContaining({ kind: "genesis", key: keyOf(0), sequence: 10, reason: "previous-hash" }),
    ]);
  });

  it("reports records that come before the anchor", () => {
    const full = chainRecords(drafts(4), null);
    const anchor = { sequence: 2, previousHash: hashJson(full[1]) };
    expect(verifyChain(stored(full), { expectedFirst: anchor }).problems).toEqual([
      expect.objectContaining({ kind: "genesis", key: keyOf(0), sequence: 0, reason: "before-start" }),
      {
        kind: "genesis",
        key: keyOf(1),
        sequence: 1,
        reason: "before-start",
        message: `${keyOf(1)} (sequence 1) comes before the first expected sequence 2`,
      },
    ]);
  });
});

describe("verifyChain: report", () => {
  it("sorts problems by chain position, then kind, then key", () => {
    const entries = storedChain(8);
    entries.splice(6, 1);
    recordAt(entries, 1).runId = "forged";
    swapRecords(entries, 3, 4);
    entries.splice(6, 0, { key: `${keyOf(5)}.copy`, record: structuredClone(recordAt(entries, 5)) });
    entries.push({ key: "v1/runs/zz.json", record: null }, { key: "v1/runs/aa.json", record: [] });
    const problems = verifyChain(entries).problems;
    expect(summary(problems)).toEqual([
      ["modified", keyOf(1)],
      ["reorder", keyOf(4)],
      ["reorder", keyOf(3)],
      ["duplicate", `${keyOf(5)},${keyOf(5)}.copy`],
      ["gap", keyOf(7)],
      ["invalid", "v1/runs/aa.json"],
      ["invalid", "v1/runs/zz.json"],
    ]);
  });

  it("gives the same report for the same input", () => {
    const entries = storedChain(6);
    entries.splice(2, 1);
    recordAt(entries, 3).createdAt = at(7);
    expect(verifyChain(structuredClone(entries))).toEqual(verifyChain(entries));
  });
});
