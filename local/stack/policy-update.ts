/**
 * A new version of the access policy for a running local stack (`stack.setPolicy`, the watch on
 * `.local/policy.yaml`): validated completely before anything changes, and named by a content
 * revision the policy-change run records as `trigger.revision`.
 */
import { createHash } from "node:crypto";
import { iamPolicyGrammar } from "../../adapters/iam-policy-grammar.ts";
import { loadPolicy } from "../../core/policy/load-policy.ts";
import type { PolicyError } from "../../core/policy/policy-error.ts";
import type { Policy } from "../../core/policy/schema.ts";

/** Thrown for a policy that does not validate; the stack keeps the policy it had. */
export class InvalidPolicyError extends Error {
  override name = "InvalidPolicyError";
  readonly errors: readonly PolicyError[];
  constructor(file: string, errors: readonly PolicyError[]) {
    super(
      `the access policy ${file} is invalid; the stack keeps its current policy:\n${errors
        .map((e) => `  ${e.file}:${e.line}:${e.column} ${e.path} ${e.message} (${e.fix})`)
        .join("\n")}`,
    );
    this.errors = errors;
  }
}

/** The first 12 hex digits of the SHA-256 of the policy text. */
export function policyRevision(yaml: string): string {
  return createHash("sha256").update(yaml).digest("hex").slice(0, 12);
}

/** The validated policy and its revision; throws {@link InvalidPolicyError} listing every error. */
export function parsePolicyUpdate(yaml: string, file = "policy.yaml"): { policy: Policy; revision: string } {
  const loaded = loadPolicy(yaml, file, { grammar: iamPolicyGrammar });
  if (!loaded.ok) throw new InvalidPolicyError(file, loaded.errors);
  return { policy: loaded.policy, revision: policyRevision(yaml) };
}
