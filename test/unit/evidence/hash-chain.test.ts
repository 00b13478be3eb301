import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CanonicalJsonError, canonicalize } from "../../../core/evidence/canonical-json.ts";
import {
  appendToChain,
  chainRecords,
  hashJson,
  hashRecord,
  prepareDraft,
  sha256Hex,
} from "../../../core/evidence/hash-chain.ts";
import { type EvidenceDraft, InvalidEvidenceRecordError } from "../../../core/evidence/record.ts";
import { drafts, snapshotDraft, userRunDraft } from "./evidence-builders.ts";

const independentSha256 = (text: string) =>
  createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex");

describe("hashes", () => {
  it("is SHA-256 of the UTF-8 text", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("é")).toBe(independentSha256("é"));
  });

  it("hashes the canonical JSON, so key order does not matter", () => {
    expect(hashJson({ b: 1, a: [true] })).toBe(independentSha256('{"a":[true],"b":1}'));
    expect(hashJson({ a: [true], b: 1 })).toBe(hashJson({ b: 1, a: [true] }));
  });

  it("pins the hash of a known record (it must never change across versions)", () => {
    const { record } = appendToChain(null, snapshotDraft());
    expect(hashRecord(record)).toBe(independentSha256(canonicalize(record)));
    expect(hashRecord(record)).toBe("71cda06fb4346be125f71599f8a5a78e112b30b6da8c612dd2882d2f5cd7c734");
  });
});

describe("appendToChain", () => {
  it("starts a chain at sequence 0 with a null previousHash", () => {
    const { record, head } = appendToChain(null, userRunDraft());
    expect(record).toEqual({ ...userRunDraft(), sequence: 0, previousHash: null });
    expect(head).toEqual({ hash: hashRecord(record), sequence: 0 });
  });

  it("links a record to the head it is appended to", () => {
    const head = { hash: "9".repeat(64), sequence: 41 };
    const appended = appendToChain(head, userRunDraft());
    expect(appended.record).toMatchObject({ sequence: 42, previousHash: head.hash });
    expect(appended.head).toEqual({ hash: hashRecord(appended.record), sequence: 42 });
  });

  it("refuses to chain an invalid record, naming the field", () => {
    const draft = { ...userRunDraft(), createdAt: "now" };
    const error = (() => {
      try {
        appendToChain(null, draft);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidEvidenceRecordError);
    expect(error).toMatchObject({
      name: "InvalidEvidenceRecordError",
      errors: [{ path: "createdAt", message: expect.stringContaining("ISO-8601") }],
      message: expect.stringContaining("invalid evidence record: createdAt: expected an ISO-8601"),
    });
  });

  it("refuses a free-form value JSON cannot hold, naming its path in the record", () => {
    const draft = userRunDraft();
    draft.body.truth.identityCenter = { ratio: Number.NaN };
    expect(() => appendToChain(null, draft)).toThrow(
      expect.objectContaining({ name: "CanonicalJsonError", path: "body.truth.identityCenter.ratio" }),
    );
    expect(() => appendToChain(null, draft)).toThrow(CanonicalJsonError);
  });

  it("keeps a __proto__ key of parsed JSON in what it hashes (zod would drop it)", () => {
    const draft = userRunDraft();
    draft.body.truth.identityCenter = JSON.parse('{"__proto__":{"injected":true}}');
    const { record } = appendToChain(null, draft);
    expect(canonicalize(record)).toContain('"identityCenter":{"__proto__":{"injected":true}}');
  });
});

describe("chainRecords", () => {
  it("numbers records and links each to the previous one's hash", () => {
    const records = chainRecords(drafts(3), null);
    expect(records.map((r) => r.sequence)).toEqual([0, 1, 2]);
    expect(records.map((r) => r.previousHash)).toEqual([null, hashJson(records[0]), hashJson(records[1])]);
  });

  it("continues an existing chain", () => {
    const first = chainRecords(drafts(2), null);
    const more = chainRecords(drafts(2), { hash: hashJson(first[1]), sequence: 1 });
    expect(more.map((r) => [r.sequence, r.previousHash])).toEqual([
      [2, hashJson(first[1])],
      [3, hashJson(more[0])],
    ]);
  });

  it("is pure: the same drafts give the same records, and the drafts are left as they were", () => {
    const input: EvidenceDraft[] = drafts(4);
    const copy = structuredClone(input);
    expect(chainRecords(input, null)).toEqual(chainRecords(copy, null));
    expect(input).toEqual(copy);
  });

  it("returns nothing for no drafts", () => {
    expect(chainRecords([], { hash: "1".repeat(64), sequence: 3 })).toEqual([]);
  });
});

describe("prepareDraft", () => {
  it("links to any head exactly as canonicalizing the whole record would, free-form content included", () => {
    const head = fc.option(
      fc.record({
        sequence: fc.nat({ max: 1_000_000 }),
        hash: fc.stringMatching(/^[0-9a-f]{64}$/),
      }),
      { nil: null },
    );
    fc.assert(
      fc.property(fc.jsonValue(), head, head, (free, first, second) => {
        // Prepare: one draft, linked to two heads (a writer that lost a race links again)
        const draft = userRunDraft();
        draft.body.truth.identityCenter = { free } as never;
        const prepared = prepareDraft(draft);
        for (const h of [first, second]) {
          // Act
          const linked = prepared.link(h);
          // Assess
          expect(linked.canonical).toBe(canonicalize(linked.record));
          expect(linked.head).toEqual({
            hash: hashRecord(linked.record),
            sequence: h === null ? 0 : h.sequence + 1,
          });
          expect(linked).toMatchObject(appendToChain(h, draft));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("refuses a malformed head: nothing is linked to a hash that is not one", () => {
    const prepared = prepareDraft(userRunDraft());
    expect(() => prepared.link({ sequence: 4, hash: "not-a-digest" })).toThrow(InvalidEvidenceRecordError);
  });
});
