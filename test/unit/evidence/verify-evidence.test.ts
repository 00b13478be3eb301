import { beforeAll, describe, expect, it } from "vitest";
import { canonicalize } from "../../../core/evidence/canonical-json.ts";
import { chainRecords, sha256Hex } from "../../../core/evidence/hash-chain.ts";
import { evidenceKey } from "../../../core/evidence/layout.ts";
import { signedManifestText, signManifest } from "../../../core/evidence/manifest.ts";
import type { EvidenceDraft } from "../../../core/evidence/record.ts";
import { type StoredObject, verifyEvidence } from "../../../core/evidence/verify-evidence.ts";
import { DAY1, DAY2, scenarioDrafts } from "../../support/evidence-scenario.ts";
import { type SignedBucket, signedBucket, testSigner } from "./signed-bucket.ts";

const signer = testSigner();
const both = { from: DAY1, to: DAY2 };
let bucket: SignedBucket;
beforeAll(async () => {
  bucket = await signedBucket(scenarioDrafts(), signer);
});

const run = (
  records: readonly StoredObject[],
  manifests: readonly StoredObject[] = bucket.manifests,
  period = both,
  keys = [signer.pem],
) => verifyEvidence({ period, records, manifests, publicKeysPem: keys });

const key = (i: number) => (bucket.records[i] as StoredObject).key;
const text = (i: number) => (bucket.records[i] as StoredObject).text;
const kinds = (v: ReturnType<typeof run>) =>
  v.problems.map((p) => [
    p.kind,
    p.kind === "gap" ? p.afterKey : p.kind === "duplicate" ? p.keys.join(", ") : p.key,
  ]);

describe("verifyEvidence", () => {
  it("passes an untouched period: one chain from genesis, every record in a validly signed manifest", () => {
    // Act
    const v = run(bucket.records);

    // Assess
    expect(v).toMatchObject({
      ok: true,
      problems: [],
      records: 11,
      anchor: { sequence: 0, previousHash: null, signed: true },
    });
    expect(v.manifests).toEqual([
      { key: "v1/chain/2024/05/01.json", date: DAY1, keyId: signer.keyId, signature: "valid", records: 7 },
      { key: "v1/chain/2024/05/02.json", date: DAY2, keyId: signer.keyId, signature: "valid", records: 4 },
    ]);
  });

  it("verifies a period that starts mid-chain, anchored by its signed manifest", () => {
    // Act
    const v = run(bucket.records, bucket.manifests, { from: DAY2, to: DAY2 });

    // Assess
    expect(v.ok).toBe(true);
    expect(v.records).toBe(4);
    expect(v.anchor).toMatchObject({ sequence: 7, signed: true });
    expect(v.manifests.map((m) => m.date)).toEqual([DAY2]);
  });

  it("names an altered record: the chain's broken link and the manifest's hash both point at its key", () => {
    // Prepare
    const altered = bucket.records.map((r, i) =>
      i === 2 ? { ...r, text: r.text.replace("HYPERLINK", "IMPORTXML") } : r,
    );

    // Act
    const v = run(altered);

    // Assess
    expect(v.ok).toBe(false);
    expect(kinds(v)).toEqual([
      ["modified", key(2)],
      ["record-altered", key(2)],
    ]);
    expect(v.problems[1]?.message).toContain(
      "was altered: the signed manifest v1/chain/2024/05/01.json lists SHA-256",
    );
  });

  it("names an altered last record, which the chain alone cannot see", () => {
    // Prepare
    const altered = bucket.records.map((r, i) =>
      i === 10 ? { ...r, text: r.text.replace("ReadOnly", "Admin") } : r,
    );

    // Act
    const v = run(altered);

    // Assess
    expect(kinds(v)).toEqual([["record-altered", key(10)]]);
  });

  it("names a removed record, in the middle (a gap) and at the end (only the manifest knows)", () => {
    // Act
    const middle = run(bucket.records.filter((_, i) => i !== 3));
    const last = run(bucket.records.filter((_, i) => i !== 10));

    // Assess
    expect(kinds(middle)).toEqual([
      ["gap", key(4)],
      ["record-missing", key(3)],
    ]);
    expect(middle.problems[0]?.message).toBe(`sequence 3 is missing between ${key(2)} and ${key(4)}`);
    expect(kinds(last)).toEqual([["record-missing", key(10)]]);
    expect(last.problems[0]?.message).toContain(
      "is listed in the signed manifest v1/chain/2024/05/02.json but is not in the bucket",
    );
  });

  it("names records swapped between keys (reordered) by both keys", () => {
    // Prepare: records 1 and 2 exchange places
    const swapped = bucket.records.map((r, i) =>
      i === 1 ? { ...r, text: text(2) } : i === 2 ? { ...r, text: text(1) } : r,
    );

    // Act
    const v = run(swapped);

    // Assess
    expect(v.ok).toBe(false);
    expect(v.problems.filter((p) => p.kind === "reorder").map((p) => ("key" in p ? p.key : ""))).toEqual([
      key(2),
      key(1),
    ]);
    const moved = v.problems.filter((p) => p.kind === "record-moved");
    expect(moved.map((p) => [p.key, "listedAs" in p ? p.listedAs : ""])).toEqual([
      [key(1), key(2)],
      [key(2), key(1)],
    ]);
  });

  it("names a copy stored under a new key, and a record added after the manifest was signed", async () => {
    // Prepare
    const copyKey = key(4).replace(/\/\d{9}-/, "/235959999-");
    const copied = [...bucket.records, { key: copyKey, text: text(4) }];
    const extra: EvidenceDraft = {
      ...(scenarioDrafts()[10] as EvidenceDraft),
      recordId: "late.snapshot",
      createdAt: `${DAY2}T20:00:00.000Z`,
    };
    const longer = chainRecords([...scenarioDrafts(), extra], null);
    const late = longer.at(-1) as (typeof longer)[number];

    // Act
    const withCopy = run(copied);
    const withLate = run([...bucket.records, { key: evidenceKey(late), text: canonicalize(late) }]);

    // Assess
    expect(kinds(withCopy)).toEqual([
      ["duplicate", `${key(4)}, ${copyKey}`],
      ["record-moved", copyKey],
    ]);
    expect(kinds(withLate)).toEqual([["unsigned-record", evidenceKey(late)]]);
  });

  it("reports a day whose manifest is missing, and an unanchored start", () => {
    // Act
    const v = run(bucket.records, bucket.manifests.slice(0, 1), { from: DAY2, to: DAY2 });

    // Assess
    expect(kinds(v)).toEqual([["manifest-missing", "v1/chain/2024/05/02.json"]]);
    expect(v.problems[0]).toMatchObject({ date: DAY2, recordKeys: [key(7), key(8), key(9), key(10)] });
    expect(v.anchor).toMatchObject({
      sequence: 7,
      signed: false,
      previousHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it("reports a manifest altered after signing, or checked with the wrong key, as a bad signature with its key id", async () => {
    // Prepare
    const tampered = bucket.manifests.map((m, i) =>
      i === 0 ? { ...m, text: m.text.replace(/"sha256":"[0-9a-f]/, '"sha256":"0') } : m,
    );

    // Act
    const altered = run(bucket.records, tampered);
    const wrongKey = run(bucket.records, bucket.manifests, both, [testSigner().pem]);

    // Assess
    expect(kinds(altered)).toEqual([
      ["bad-signature", "v1/chain/2024/05/01.json"],
      ["manifest-link", "v1/chain/2024/05/02.json"],
    ]);
    expect(altered.problems[0]).toMatchObject({ keyId: signer.keyId });
    expect(altered.manifests[0]?.signature).toBe("invalid");
    expect(kinds(wrongKey)).toEqual([
      ["bad-signature", "v1/chain/2024/05/01.json"],
      ["bad-signature", "v1/chain/2024/05/02.json"],
    ]);
    expect(wrongKey.problems[0]?.message).toContain("does not verify with the trusted public key");
    expect(
      run(bucket.records, bucket.manifests, both, [testSigner().pem, testSigner().pem]).problems[0]?.message,
    ).toContain("trusted public keys");
  });

  it("reports a manifest moved to another day's key, and one that is not a signed manifest", () => {
    // Prepare
    const moved = [{ key: "v1/chain/2024/05/02.json", text: (bucket.manifests[0] as StoredObject).text }];
    const invalid = [
      bucket.manifests[0] as StoredObject,
      { key: "v1/chain/2024/05/02.json", text: "{not json" },
    ];

    // Act
    const v = run(bucket.records, moved, { from: DAY2, to: DAY2 });
    const w = run(bucket.records, invalid, { from: DAY2, to: DAY2 });

    // Assess
    expect(v.problems[0]).toMatchObject({ kind: "bad-signature", key: "v1/chain/2024/05/02.json" });
    expect(v.problems[0]?.message).toContain("holds the manifest of 2024-05-01");
    expect(kinds(w)).toEqual([["manifest-invalid", "v1/chain/2024/05/02.json"]]);
    expect(w.manifests).toEqual([
      { key: "v1/chain/2024/05/02.json", date: DAY2, keyId: null, signature: "unreadable", records: 0 },
    ]);
  });

  it("checks the link to the previous day's manifest: missing, or replaced by another signed version", async () => {
    // Prepare
    const day1 = bucket.signed.get(DAY1);
    if (day1 === undefined) throw new Error("no day-1 manifest");
    const resigned = await signManifest({ ...day1.manifest, generatedAt: `${DAY2}T01:00:00.000Z` }, signer);
    const replaced = [
      { key: "v1/chain/2024/05/01.json", text: signedManifestText(resigned) },
      bucket.manifests[1] as StoredObject,
    ];

    // Act
    const missing = run(bucket.records, bucket.manifests.slice(1), { from: DAY2, to: DAY2 });
    const changed = run(bucket.records, replaced);

    // Assess
    expect(kinds(missing)).toEqual([["manifest-link", "v1/chain/2024/05/02.json"]]);
    expect(missing.problems[0]?.message).toBe(
      "v1/chain/2024/05/02.json follows v1/chain/2024/05/01.json, which is missing",
    );
    expect(kinds(changed)).toEqual([["manifest-link", "v1/chain/2024/05/02.json"]]);
    expect(changed.problems[0]?.message).toContain("it was replaced");
  });

  it("does not report problems of the previous period's manifest, read only for the link", () => {
    // Prepare
    const previous = { ...(bucket.manifests[0] as StoredObject), text: "garbage" };

    // Act
    const v = run(bucket.records, [previous, bucket.manifests[1] as StoredObject], { from: DAY2, to: DAY2 });

    // Assess
    expect(kinds(v)).toEqual([["manifest-link", "v1/chain/2024/05/02.json"]]);
  });

  it("takes in a record filed under the neighbouring day when its sequence lies inside the period's range", async () => {
    // Prepare: two runs straddle midnight; the one created first (day 1) is chained second
    const drafts: EvidenceDraft[] = [
      { ...(scenarioDrafts()[0] as EvidenceDraft), recordId: "a.run", createdAt: `${DAY2}T00:00:00.001Z` },
      { ...(scenarioDrafts()[0] as EvidenceDraft), recordId: "b.run", createdAt: `${DAY1}T23:59:59.999Z` },
      { ...(scenarioDrafts()[0] as EvidenceDraft), recordId: "c.run", createdAt: `${DAY2}T00:00:01.000Z` },
    ];
    const straddle = await signedBucket(drafts, signer);

    // Act
    const day2 = verifyEvidence({
      period: { from: DAY2, to: DAY2 },
      records: straddle.records,
      manifests: straddle.manifests,
      publicKeysPem: [signer.pem],
    });

    // Assess
    expect(day2).toMatchObject({ ok: true, records: 2 });
  });

  it("passes an empty period, and checks unreadable records it cannot place", () => {
    // Act
    const empty = run([], []);
    const garbage = run([{ key: "v1/runs/2024/05/01/000000000-x.json", text: "garbage" }], [], {
      from: DAY1,
      to: DAY1,
    });

    // Assess
    expect(empty).toMatchObject({ ok: true, records: 0, anchor: null, manifests: [] });
    expect(kinds(garbage)).toEqual([
      ["invalid", "v1/runs/2024/05/01/000000000-x.json"],
      ["manifest-missing", "v1/chain/2024/05/01.json"],
    ]);
  });

  it("does not place a record by a negative sequence", () => {
    // Prepare
    const negative = bucket.records.map((r, i) =>
      i === 10 ? { ...r, text: r.text.replace('"sequence":10', '"sequence":-1') } : r,
    );

    // Act
    const v = run(negative);

    // Assess
    expect(kinds(v)).toEqual([
      ["invalid", key(10)],
      ["modified", key(10)],
      ["record-altered", key(10)],
    ]);
  });

  it("checks the rows object of a large snapshot against the SHA-256 its record carries", async () => {
    // Prepare
    const object = {
      key: `v1/snapshots/2024/05/02/estate-3.jsonl.gz`,
      format: "jsonl.gz" as const,
      rows: 2,
      sha256: "ab".repeat(32),
    };
    const large: EvidenceDraft = {
      ...(scenarioDrafts()[10] as EvidenceDraft),
      recordId: "estate-3.snapshot",
      body: { object },
    } as EvidenceDraft;
    const withLarge = await signedBucket([...scenarioDrafts(), large], signer);
    const check = (sha256: string | null) =>
      verifyEvidence({
        period: both,
        records: withLarge.records,
        manifests: withLarge.manifests,
        publicKeysPem: [signer.pem],
        snapshotObjects: [{ key: object.key, sha256 }],
      });

    // Act
    const intact = check(object.sha256);
    const altered = check("cd".repeat(32));
    const missing = check(null);

    // Assess
    expect(intact.ok).toBe(true);
    expect(altered.problems).toEqual([
      expect.objectContaining({
        kind: "snapshot-object-altered",
        key: object.key,
        recordKey: expect.stringContaining("estate-3.snapshot"),
      }),
    ]);
    expect(missing.problems).toEqual([
      expect.objectContaining({ kind: "snapshot-object-missing", key: object.key }),
    ]);
    expect(missing.problems[0]?.message).toContain("is not in the bucket");
  });

  it("reports a record JSON cannot hold (an overflowing number) as invalid and altered", () => {
    // Prepare
    const overflow = bucket.records.map((r, i) =>
      i === 10 ? { ...r, text: r.text.replace('"sequence":10', '"sequence":10,"x":1e999') } : r,
    );

    // Act
    const v = run(overflow);

    // Assess
    expect(v.problems.map((p) => p.kind)).toEqual(["invalid", "record-altered"]);
  });

  it("ignores objects whose keys are not evidence keys", () => {
    // Act
    const v = run(bucket.records, [...bucket.manifests, { key: "v1/chain/README.md", text: "#" }]);

    // Assess
    expect(v.ok).toBe(true);
  });

  it("anchors at genesis without a manifest when the period starts at the first record", () => {
    // Act
    const v = run(bucket.records, [], { from: DAY1, to: DAY1 });

    // Assess
    expect(v.anchor).toEqual({ sequence: 0, previousHash: null, signed: false });
    expect(kinds(v)).toEqual([["manifest-missing", "v1/chain/2024/05/01.json"]]);
  });

  it("cannot anchor on a first record without a readable previousHash, and says the chain does not start right", () => {
    // Prepare: record 7 (day 2's first) with its previousHash removed
    const broken = bucket.records.map((r, i) =>
      i === 7 ? { ...r, text: r.text.replace(/"previousHash":"[0-9a-f]{64}"/, '"previousHash":7') } : r,
    );

    // Act
    const v = run(broken, [], { from: DAY2, to: DAY2 });

    // Assess
    expect(v.anchor).toEqual({ sequence: 7, previousHash: null, signed: false });
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => p.kind)).toContain("invalid");
  });

  describe("the open day, the chain head and delete markers", () => {
    const extra: EvidenceDraft = {
      ...(scenarioDrafts()[10] as EvidenceDraft),
      recordId: "late.snapshot",
      createdAt: `${DAY2}T20:00:00.000Z`,
    };
    const longer = chainRecords([...scenarioDrafts(), extra], null);
    const late = longer.at(-1) as (typeof longer)[number];
    const lateObject = { key: evidenceKey(late), text: canonicalize(late) };
    const withLate = () => [...bucket.records, lateObject];
    const lateHead = {
      head: { sequence: late.sequence, hash: sha256Hex(lateObject.text), key: lateObject.key },
    };

    it("reports a record of the open day that its latest manifest does not list as not yet covered", () => {
      // Act
      const v = verifyEvidence({
        period: both,
        records: withLate(),
        manifests: bucket.manifests,
        publicKeysPem: [signer.pem],
        today: DAY2,
        chainHead: lateHead,
        deleteMarkers: { markers: [] },
      });

      // Assess
      expect(v).toMatchObject({ ok: true, problems: [] });
      expect(v.notes).toEqual([
        {
          kind: "not-yet-covered",
          key: lateObject.key,
          date: DAY2,
          manifestKey: "v1/chain/2024/05/02.json",
          latestManifestAt: `${DAY2}T23:59:59.000Z`,
          message: `${lateObject.key} is not yet covered by a manifest: ${DAY2} is still open and its latest manifest was written at ${DAY2}T23:59:59.000Z`,
        },
      ]);
    });

    it("reports the open day's records as not yet covered when it has no manifest yet, but a closed day's as a problem", () => {
      // Act
      const open = verifyEvidence({
        period: both,
        records: bucket.records,
        manifests: bucket.manifests.slice(0, 1),
        publicKeysPem: [signer.pem],
        today: DAY2,
      });
      const closed = run(withLate(), bucket.manifests);

      // Assess
      expect(open.ok).toBe(true);
      expect(
        open.notes.map((n) => [n.kind, n.kind === "not-yet-covered" ? n.latestManifestAt : null]),
      ).toEqual(Array.from({ length: 4 }, () => ["not-yet-covered", null]));
      expect(open.notes[0]?.message).toBe(
        `${key(7)} is not yet covered by a manifest: ${DAY2} is still open and has none yet`,
      );
      expect(closed.problems[0]?.message).toContain(
        "written at 2024-05-02T23:59:59.000Z before the day ended",
      );
    });

    it("words a record missing from a closing manifest as added afterwards", async () => {
      // Prepare: day 2's manifest written after the day ended (a closing manifest)
      const closing = await signedBucket(scenarioDrafts(), signer, (day) =>
        `${day}T23:59:59.000Z`.replace(DAY2, "2024-05-03"),
      );

      // Act
      const v = verifyEvidence({
        period: both,
        records: withLate(),
        manifests: closing.manifests,
        publicKeysPem: [signer.pem],
        today: "2024-05-03",
      });

      // Assess
      expect(kinds(v)).toEqual([["unsigned-record", lateObject.key]]);
      expect(v.problems[0]?.message).toBe(
        `${lateObject.key} is not listed in the signed manifest v1/chain/2024/05/02.json: it was added after the manifest was signed, or the manifest is behind`,
      );
    });

    it("adds the chain head's and the delete markers' problems after the others, markers by key", () => {
      // Act
      const v = verifyEvidence({
        period: both,
        records: bucket.records,
        manifests: bucket.manifests,
        publicKeysPem: [signer.pem],
        chainHead: lateHead,
        deleteMarkers: {
          markers: [
            { key: "v1/runs/2024/05/02/b.json", versionId: "2", lastModified: null },
            { key: "v1/runs/2024/05/01/a.json", versionId: "1", lastModified: null },
            { key: "v1/runs/2024/05/02/b.json", versionId: "3", lastModified: null },
          ],
        },
      });

      // Assess
      expect(kinds(v)).toEqual([
        ["chain-head", lateObject.key],
        ["delete-marker", "v1/runs/2024/05/01/a.json"],
        ["delete-marker", "v1/runs/2024/05/02/b.json"],
        ["delete-marker", "v1/runs/2024/05/02/b.json"],
      ]);
    });
  });
});
