/**
 * Ids in the formats Organizations uses (AWS Organizations API Reference, the patterns of each
 * request parameter), drawn from the emulator's random source so a fixed seed gives fixed ids.
 */
import { drawText, type RandomSource } from "../identity-center/seeded-random.ts";

const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
const DIGITS = "0123456789";

export class IdFactory {
  private readonly random: RandomSource;
  constructor(random: RandomSource) {
    this.random = random;
  }

  private draw(alphabet: string, length: number): string {
    return drawText(this.random, alphabet, length);
  }

  /** `o-` + 10 lowercase letters or digits. */
  organizationId = () => `o-${this.draw(LOWER_ALNUM, 10)}`;
  /** `r-` + 4 lowercase letters or digits. */
  rootId = () => `r-${this.draw(LOWER_ALNUM, 4)}`;
  /** `ou-<root suffix>-` + 8 lowercase letters or digits. */
  organizationalUnitId = (rootId: string) => `ou-${rootId.slice(2)}-${this.draw(LOWER_ALNUM, 8)}`;
  /** 12 digits, not starting with 0. */
  accountId = () => `${this.draw("123456789", 1)}${this.draw(DIGITS, 11)}`;
  /**
   * `p-` + 10 lowercase letters or digits: the model's PolicyId pattern allows `p-[0-9a-zA-Z_]{8,128}`,
   * but its PolicyArn pattern asks `p-[0-9a-z]{10,32}` of a customer policy, so both hold.
   */
  policyId = () => `p-${this.draw(LOWER_ALNUM, 10)}`;
  /** `car-` + 32 lowercase letters or digits (CreateAccount request id). */
  createAccountRequestId = () => `car-${this.draw(LOWER_ALNUM, 32)}`;
}
