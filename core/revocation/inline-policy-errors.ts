/**
 * Inline policy limit of a permission set: 10,240 characters, whitespace not counted (IAM Identity
 * Center quotas, "Inline policy per permission set"; IAM counts policy size without white space).
 */
export const INLINE_POLICY_MAX_CHARS = 10_240;

/** The permission set's inline policy would exceed its size limit once the Denies are added. */
export class InlinePolicyTooLargeError extends Error {
  override name = "InlinePolicyTooLargeError";
  /** Non-whitespace characters the merged policy would have. */
  readonly size: number;
  readonly limit: number;
  constructor(size: number, limit: number) {
    super(
      `the inline policy with the revocation Denies would be ${size} non-whitespace characters; ` +
        `a permission set allows ${limit}`,
    );
    this.size = size;
    this.limit = limit;
  }
}

/** The existing inline policy is not a JSON policy document, so it cannot be merged safely. */
export class InvalidInlinePolicyError extends Error {
  override name = "InvalidInlinePolicyError";
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`the existing inline policy cannot be merged: ${detail}`, options);
  }
}
