import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalize } from "../../../core/evidence/canonical-json.ts";
import type { ChainProblem } from "../../../core/evidence/chain-problem.ts";
import { chainRecords, hashJson, hashRecord } from "../../../core/evidence/hash-chain.ts";
import { type ChainEntry, verifyChain } from "../../../core/evidence/verify-chain.ts";
import { chainDraftsArbitrary } from "./evidence-arbitraries.ts";
import { keyOf, stored } from "./evidence-builders.ts";

/** The record(s) a problem blames; a gap blames no stored record. */
const blamed = (problem: ChainProblem): string[] | null => {
  if (problem.kind === "gap") return null;
  return problem.kind === "duplicate" ? problem.keys : [problem.key];
};

type Json = unknown;
type Path = (string | number)[];

/** Every node below the root of a JSON value, as paths. */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (typeof value !== "object" || value === null) return [];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((item, i) => [i, item])
    : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

function parentAndKey(root: Json, path: Path): [Record<string | number, Json>, string | number] {
  let node = root as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  return [node, path[path.length - 1] as string | number];
}

type Tamper = "replace" | "remove" | "insert";

/** One change to one node of a record: replace it, remove it, or add a member to it. */
function tamper(record: Json, path: Path, how: Tamper, value: Json): void {
  const [parent, key] = parentAndKey(record, path);
  const node = parent[key];
  if (how === "remove" && Array.isArray(parent)) parent.splice(key as number, 1);
  else if (how === "remove") delete parent[key];
  else if (how === "insert" && Array.isArray(node)) node.push(value);
  else if (how === "insert" && typeof node === "object" && node !== null)
    (node as Record<string, Json>)["x-tamper"] = value;
  else parent[key] = value;
}

const chainOf = (drafts: Parameters<typeof chainRecords>[0]) => stored(chainRecords(drafts, null));
const swapRecords = (entries: ChainEntry[], a: number, b: number) => {
  const first = (entries[a] as ChainEntry).record;
  (entries[a] as ChainEntry).record = (entries[b] as ChainEntry).record;
  (entries[b] as ChainEntry).record = first;
};

describe("verifyChain properties", () => {
  it("a chain built by chainRecords over arbitrary records always verifies", () => {
    fc.assert(
      fc.property(chainDraftsArbitrary(0), (drafts) => {
        const result = verifyChain(chainOf(drafts));
        expect(result).toEqual({ ok: true, problems: [], verified: drafts.length });
      }),
    );
  });

  it("any range of such a chain verifies against its anchor", () => {
    fc.assert(
      fc.property(chainDraftsArbitrary(1), fc.nat(), (drafts, seed) => {
        const records = chainRecords(drafts, null);
        const from = seed % records.length;
        const before = records[from - 1];
        const anchor = { sequence: from, previousHash: before === undefined ? null : hashRecord(before) };
        expect(verifyChain(stored(records).slice(from), { expectedFirst: anchor }).ok).toBe(true);
      }),
    );
  });

  it("altering any single field of any record but the last is detected and blames exactly that record", () => {
    fc.assert(
      fc.property(
        chainDraftsArbitrary(2),
        fc.nat(),
        fc.nat(),
        fc.constantFrom<Tamper>("replace", "remove", "insert"),
        fc.jsonValue({ maxDepth: 2 }),
        (drafts, recordSeed, pathSeed, how, value) => {
          const entries = chainOf(drafts);
          const target = recordSeed % (entries.length - 1);
          const record = (entries[target] as ChainEntry).record;
          const before = canonicalize(record);
          const paths = pathsOf(record);
          tamper(record, paths[pathSeed % paths.length] as Path, how, value);
          fc.pre(canonicalize(record) !== before);

          const result = verifyChain(entries);

          expect(result.ok).toBe(false);
          for (const problem of result.problems) expect(blamed(problem)).toEqual([keyOf(target)]);
          expect(result.verified).toBe(entries.length - 1);
        },
      ),
    );
  });

  it("forging the sequence or previousHash of any record but the last blames exactly that record", () => {
    const forgedHeader = (count: number) =>
      fc.oneof(
        fc.record({ field: fc.constant("sequence" as const), value: fc.nat({ max: count + 2 }) }),
        fc.record({ field: fc.constant("previousHash" as const), value: fc.nat({ max: count - 1 }) }),
        fc.record({
          field: fc.constant("previousHash" as const),
          value: fc.constantFrom(null, "0".repeat(64), "not a hash"),
        }),
      );
    fc.assert(
      fc.property(
        chainDraftsArbitrary(2).chain((drafts) =>
          fc.tuple(fc.constant(drafts), fc.nat(), forgedHeader(drafts.length)),
        ),
        ([drafts, seed, forgery]) => {
          const records = chainRecords(drafts, null);
          const entries = stored(records);
          const target = seed % (entries.length - 1);
          const record = (entries[target] as ChainEntry).record as Record<string, unknown>;
          // A number for previousHash means "the hash of that record".
          const { field, value } = forgery;
          const forged =
            field === "previousHash" && typeof value === "number" ? hashJson(records[value]) : value;
          fc.pre(record[field] !== forged);
          record[field] = forged;

          const result = verifyChain(entries);

          expect(result.ok).toBe(false);
          for (const problem of result.problems) expect(blamed(problem)).toEqual([keyOf(target)]);
        },
      ),
    );
  });

  it("removing any record but the last is a gap naming its sequence and its neighbours", () => {
    fc.assert(
      fc.property(chainDraftsArbitrary(2), fc.nat(), (drafts, seed) => {
        const entries = chainOf(drafts);
        const removed = seed % (entries.length - 1);
        entries.splice(removed, 1);
        expect(verifyChain(entries).problems).toEqual([
          expect.objectContaining({
            kind: "gap",
            missing: { from: removed, to: removed },
            beforeKey: removed === 0 ? null : keyOf(removed - 1),
            afterKey: keyOf(removed + 1),
          }),
        ]);
      }),
    );
  });

  it("removing the LAST record is not detectable by the chain alone (the signed manifest of issue 5 covers it)", () => {
    fc.assert(
      fc.property(chainDraftsArbitrary(1), (drafts) => {
        const entries = chainOf(drafts);
        entries.pop();
        // Nothing after the last record vouches for it: verifyChain must (and can only) say ok.
        expect(verifyChain(entries).ok).toBe(true);
      }),
    );
  });

  it("swapping the stored positions of two records is a reorder naming exactly those two keys", () => {
    fc.assert(
      fc.property(chainDraftsArbitrary(2), fc.nat(), fc.nat(), (drafts, seedA, seedB) => {
        const entries = chainOf(drafts);
        const a = seedA % entries.length;
        const b = seedB % entries.length;
        fc.pre(a !== b);
        swapRecords(entries, a, b);
        const problems = verifyChain(entries).problems;
        expect(problems.map((p) => p.kind)).toEqual(["reorder", "reorder"]);
        expect(problems.flatMap(blamed).sort()).toEqual([keyOf(a), keyOf(b)].sort());
      }),
    );
  });
});
