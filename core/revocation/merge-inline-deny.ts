import { type DenyStatement, isToolStatement, POLICY_VERSION } from "./deny-statement.ts";
import {
  INLINE_POLICY_MAX_CHARS,
  InlinePolicyTooLargeError,
  InvalidInlinePolicyError,
} from "./inline-policy-errors.ts";
import type { InlineMassFallbackStatement } from "./mass-fallback.ts";

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function parsePolicy(text: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidInlinePolicyError("it is not valid JSON", { cause: error });
  }
  if (!isObject(parsed)) throw new InvalidInlinePolicyError("it is not a JSON object");
  return parsed;
}

/** A policy's statements as a list (IAM allows a single statement object in place of the array). */
function statementsOf(policy: JsonObject): unknown[] {
  const statement = policy.Statement;
  if (statement === undefined) return [];
  if (Array.isArray(statement)) return statement;
  if (isObject(statement)) return [statement];
  throw new InvalidInlinePolicyError("its Statement is neither an object nor a list");
}

/** Characters IAM counts against the inline policy limit: whitespace is not counted. */
export function inlinePolicyLength(text: string): number {
  return [...text.replace(/\s/g, "")].length;
}

/**
 * The permission set's inline policy with this tool's Deny statements (Sid prefix `OktaAwsLifecycle`)
 * replaced by `statements`, and every other statement and top-level field kept exactly as it was,
 * customer statements first, in their order. `null` when nothing is left (no customer statement and
 * no Deny): the inline policy should then be removed.
 *
 * @throws InvalidInlinePolicyError when the existing policy is not a JSON policy document.
 * @throws InlinePolicyTooLargeError when the result exceeds 10,240 non-whitespace characters.
 */
export function mergeInlineDeny(
  existingInline: string | null,
  statements: readonly (DenyStatement | InlineMassFallbackStatement)[],
  limit = INLINE_POLICY_MAX_CHARS,
): string | null {
  const existing = existingInline === null || existingInline.trim() === "" ? {} : parsePolicy(existingInline);
  const customer = statementsOf(existing).filter((s) => !isToolStatement(s));
  const merged = [...customer, ...statements];
  if (merged.length === 0) return null;
  const text = JSON.stringify({ Version: POLICY_VERSION, ...existing, Statement: merged });
  const size = inlinePolicyLength(text);
  if (size > limit) throw new InlinePolicyTooLargeError(size, limit);
  return text;
}
