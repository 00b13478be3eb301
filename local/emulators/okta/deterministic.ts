/**
 * Seeded randomness for the Okta emulator: ids, uuids and fault draws come from separate streams of
 * one seed, so the same seed and the same calls give the same ids whether or not faults are switched on.
 */

const ALPHANUMERIC = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const HEX = "0123456789abcdef";

/** A seeded pseudo-random stream (mulberry32): values in [0, 1). */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** `length` characters drawn from `alphabet`. */
  chars(length: number, alphabet: string): string {
    let out = "";
    for (let i = 0; i < length; i += 1) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
}

/** Okta object id prefixes (an Okta id is 20 characters: a 3-character type prefix and 17 more). */
export const ID_PREFIX = {
  user: "00u",
  group: "00g",
  eventHook: "who",
  apiToken: "00T",
} as const;

/** Generates Okta-shaped identifiers from a seed. */
export class IdFactory {
  private readonly random: SeededRandom;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }

  /** An Okta object id such as `00u1ab2cd3EF4gh5ij6K`. */
  objectId(prefix: string): string {
    return prefix + this.random.chars(20 - prefix.length, ALPHANUMERIC);
  }

  /** A LogEvent `uuid` / hook `eventId` (RFC 4122 version-4 layout). */
  uuid(): string {
    const hex = this.random.chars(32, HEX);
    const variant = HEX[8 + Math.floor(this.random.next() * 4)];
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** A request / transaction id as Okta writes them (27 characters). */
  requestId(): string {
    return this.random.chars(27, ALPHANUMERIC);
  }

  /** An `errorId` (`oae` + 22 characters). */
  errorId(): string {
    return `oae${this.random.chars(22, ALPHANUMERIC)}`;
  }

  /** A secret-looking random value (verification challenges, activation tokens). */
  token(length = 20): string {
    return this.random.chars(length, ALPHANUMERIC);
  }
}
