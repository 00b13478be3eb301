import type { RandomSource } from "./seeded-random.ts";

/**
 * Identifiers shaped like the ones Identity Center hands out, drawn from the injected random
 * source (so they are reproducible for a given seed).
 */
export class IdFactory {
  private readonly random: RandomSource;

  constructor(random: RandomSource) {
    this.random = random;
  }

  /** `count` lowercase hex digits. */
  hex(count: number): string {
    let out = "";
    for (let i = 0; i < count; i++) out += Math.floor(this.random() * 16).toString(16);
    return out;
  }

  /** `count` decimal digits. */
  digits(count: number): string {
    let out = "";
    for (let i = 0; i < count; i++) out += Math.floor(this.random() * 10).toString();
    return out;
  }

  /** A version-4-shaped UUID: request ids, user, group and membership ids. */
  uuid(): string {
    const variant = (8 + Math.floor(this.random() * 4)).toString(16);
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${variant}${this.hex(3)}-${this.hex(12)}`;
  }

  /** `arn:aws:sso:::instance/ssoins-<16 hex>` */
  instanceArn(): string {
    return `arn:aws:sso:::instance/ssoins-${this.hex(16)}`;
  }

  /** `d-<10 digits>` */
  identityStoreId(): string {
    return `d-${this.digits(10)}`;
  }

  /** `arn:aws:sso:::permissionSet/ssoins-<16 hex>/ps-<16 hex>` under the given instance. */
  permissionSetArn(instanceArn: string): string {
    const instanceId = instanceArn.slice(instanceArn.lastIndexOf("/") + 1);
    return `arn:aws:sso:::permissionSet/${instanceId}/ps-${this.hex(16)}`;
  }
}
