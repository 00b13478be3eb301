/**
 * IAM unique ids as AWS shapes them (IAM User Guide, "IAM identifiers", unique identifier prefixes):
 * `AIDA` users, `AROA` roles, `ANPA` managed policies, `AKIA` long-term access keys, `ASIA` temporary (STS) access keys, each
 * followed by 16 upper-case letters or digits. Drawn from the emulator's seeded random source.
 */
import { drawText, type RandomSource } from "../identity-center/seeded-random.ts";

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export class IamIds {
  private readonly random: RandomSource;
  constructor(random: RandomSource) {
    this.random = random;
  }

  private draw(alphabet: string, length: number): string {
    return drawText(this.random, alphabet, length);
  }

  userId = () => `AIDA${this.draw(UPPER_ALNUM, 16)}`;
  roleId = () => `AROA${this.draw(UPPER_ALNUM, 16)}`;
  policyId = () => `ANPA${this.draw(UPPER_ALNUM, 16)}`;
  accessKeyId = () => `AKIA${this.draw(UPPER_ALNUM, 16)}`;
  sessionAccessKeyId = () => `ASIA${this.draw(UPPER_ALNUM, 16)}`;
  /** 40 characters, as AWS secret access keys are. */
  secretAccessKey = () => this.draw(SECRET_ALPHABET, 40);
  /**
   * An opaque string, as the STS model's `tokenType` is; marked as the emulator's own rather than
   * imitating a real token's prefix, so nothing here reads as a real AWS session token.
   */
  sessionToken = () => `oal-local-session-${this.draw(SECRET_ALPHABET, 180)}`;
  uuid = () => [8, 4, 4, 4, 12].map((length) => this.draw("0123456789abcdef", length)).join("-");
}
