/**
 * A seeded pseudo-random source (mulberry32). The emulator draws every id and every fault decision
 * from one of these, so a test that fixes the seed sees the same ids and the same injected faults.
 */
export type RandomSource = () => number;

/** A deterministic source of numbers in [0, 1) for the given 32-bit seed. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `length` characters of `alphabet`, each drawn from `random` (the emulators' ids and secrets). */
export function drawText(random: RandomSource, alphabet: string, length: number): string {
  let text = "";
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}
