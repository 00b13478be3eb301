import { describe, expect, it } from "vitest";
import { checkChainHead, type HeadCheckRecord } from "../../../core/evidence/chain-head.ts";

const period = { from: "2024-05-01", to: "2024-05-01" };
const hash = (n: number) => String(n).repeat(64).slice(0, 64);
const record = (sequence: number, day = "2024/05/01"): HeadCheckRecord => ({
  key: `v1/runs/${day}/10000000${sequence}-r${sequence}.json`,
  claim: sequence,
  hash: hash(sequence),
});
const head = (sequence: number, day = "2024/05/01") => ({
  head: { sequence, hash: hash(sequence), key: record(sequence, day).key },
});

describe("checkChainHead", () => {
  it("passes when the stored chain ends at the head kept in DynamoDB", () => {
    // Act
    const check = checkChainHead(head(2), [record(0), record(1), record(2)], period);

    // Assess
    expect(check).toEqual({ problems: [], notes: [] });
  });

  it("fails a truncated tail: the head names the removed record and where the stored chain ends", () => {
    // Act
    const check = checkChainHead(head(3), [record(0), record(1)], period);

    // Assess
    expect(check.problems).toEqual([
      {
        kind: "chain-head",
        key: record(3).key,
        sequence: 3,
        expectedSha256: hash(3),
        storedThrough: 1,
        message: expect.stringContaining(
          "the stored chain ends at sequence 1, so the tail was removed or hidden",
        ),
      },
    ]);
  });

  it("fails a head whose records are all gone, and does not judge a head filed outside the period", () => {
    // Act
    const gone = checkChainHead(
      head(0),
      [{ key: "v1/runs/x.json", claim: undefined, hash: "f".repeat(64) }],
      period,
    );
    const later = checkChainHead(head(5, "2024/05/03"), [record(0)], period);
    const unfiled = checkChainHead({ head: { sequence: 5, hash: hash(5), key: "" } }, [record(0)], period);

    // Assess
    expect(gone.problems).toEqual([
      expect.objectContaining({
        kind: "chain-head",
        storedThrough: null,
        message: expect.stringContaining("no stored record of these days comes before it"),
      }),
    ]);
    expect(later.problems).toEqual([]);
    expect(unfiled.problems).toEqual([]);
  });

  it("fails a record claiming a position after the head, or any record when DynamoDB holds no chain", () => {
    // Act
    const beyond = checkChainHead(head(1), [record(0), record(1), record(2)], period);
    const empty = checkChainHead({ head: null }, [record(0)], period);

    // Assess
    expect(beyond.problems).toEqual([
      expect.objectContaining({
        kind: "beyond-chain-head",
        key: record(2).key,
        sequence: 2,
        headSequence: 1,
        message: expect.stringContaining("after the chain head kept in DynamoDB (sequence 1)"),
      }),
    ]);
    expect(empty.problems).toEqual([
      expect.objectContaining({
        kind: "beyond-chain-head",
        headSequence: null,
        message: expect.stringContaining("the chain kept in DynamoDB is empty"),
      }),
    ]);
  });

  it("reports a head it could not read as a check not run, not as a problem", () => {
    // Act
    const check = checkChainHead({ unavailable: "no state table was given" }, [record(0)], period);

    // Assess
    expect(check).toEqual({
      problems: [],
      notes: [
        {
          kind: "check-unavailable",
          check: "chain-head",
          message: "the chain head was not checked: no state table was given",
        },
      ],
    });
  });
});
