import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BatchFate, HookChaos } from "../../../local/emulators/okta/hook-chaos.ts";

const draw = (chaos: HookChaos, batches: number): BatchFate[] =>
  Array.from({ length: batches }, () => chaos.drawBatch());

describe("HookChaos", () => {
  it("decides nothing while every setting is off", () => {
    // Prepare
    const chaos = new HookChaos(5);

    // Act
    const fates = draw(chaos, 50);

    // Assess
    expect(fates.every((fate) => !fate.drop && fate.delayMs === 0 && fate.duplicateAfterMs === null)).toBe(
      true,
    );
  });

  it("drops and duplicates every batch at rate 1, with delays and gaps inside their ranges", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.nat(500),
        fc.nat(500),
        fc.nat(100),
        fc.nat(100),
        (seed, delayMin, delaySpan, gapMin, gapSpan) => {
          // Prepare
          const chaos = new HookChaos(seed);
          chaos.dropRate = 1;
          chaos.duplicateRate = 1;
          chaos.delayMs = { min: delayMin, max: delayMin + delaySpan };
          chaos.duplicateGapMs = { min: gapMin, max: gapMin + gapSpan };

          // Act
          const fates = draw(chaos, 20);

          // Assess
          for (const fate of fates) {
            expect(fate.drop).toBe(true);
            expect(fate.delayMs).toBeGreaterThanOrEqual(delayMin);
            expect(fate.delayMs).toBeLessThanOrEqual(delayMin + delaySpan);
            expect(Number.isInteger(fate.delayMs)).toBe(true);
            expect(fate.duplicateAfterMs).toBeGreaterThanOrEqual(gapMin);
            expect(fate.duplicateAfterMs).toBeLessThanOrEqual(gapMin + gapSpan);
          }
        },
      ),
    );
  });

  it("gives the same fates for the same seed, and the same drop draws whatever else is switched on", () => {
    // Prepare
    const dropsOnly = new HookChaos(9);
    dropsOnly.dropRate = 0.3;
    const everything = new HookChaos(9);
    everything.dropRate = 0.3;
    everything.duplicateRate = 0.5;
    everything.delayMs = { min: 0, max: 1000 };
    const replay = new HookChaos(1);

    // Act
    const a = draw(dropsOnly, 40);
    const b = draw(everything, 40);
    replay.reseed(9);
    Object.assign(replay, { dropRate: 0.3, duplicateRate: 0.5, delayMs: { min: 0, max: 1000 } });
    const c = draw(replay, 40);

    // Assess
    expect(a.map((fate) => fate.drop)).toEqual(b.map((fate) => fate.drop));
    expect(c).toEqual(b);
    expect(new Set(b.map((fate) => fate.drop))).toEqual(new Set([true, false]));
  });

  it("clear() switches every setting off and restores the duplicate gap", () => {
    // Prepare
    const chaos = new HookChaos(2);
    chaos.dropRate = 1;
    chaos.duplicateRate = 1;
    chaos.delayMs = { min: 10, max: 20 };
    chaos.duplicateGapMs = { min: 500, max: 600 };

    // Act
    chaos.clear();

    // Assess
    expect(
      draw(chaos, 10).every((fate) => !fate.drop && fate.delayMs === 0 && fate.duplicateAfterMs === null),
    ).toBe(true);
    expect(chaos.duplicateGapMs).toEqual({ min: 10, max: 100 });
  });

  it("reads a reversed or negative range as the nearest valid one", () => {
    // Prepare
    const chaos = new HookChaos(4);
    chaos.delayMs = { min: -50, max: -10 };

    // Act
    const fates = draw(chaos, 10);

    // Assess
    expect(fates.map((fate) => fate.delayMs)).toEqual(Array(10).fill(0));
  });
});
