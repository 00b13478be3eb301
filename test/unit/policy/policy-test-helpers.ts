import { iamPolicyGrammar } from "../../../adapters/iam-policy-grammar.ts";
import { type LoadPolicyResult, loadPolicy } from "../../../core/policy/load-policy.ts";
import type { PolicyError } from "../../../core/policy/policy-error.ts";

/** A YAML source from its lines, so a test reads with its line numbers: `yaml("a: 1", "b: 2")`. */
export function yaml(...lines: string[]): string {
  return `${lines.join("\n")}\n`;
}

/** The errors of a policy that must not load. */
export function errorsOf(source: string, fileName = "policy.yaml"): PolicyError[] {
  const result: LoadPolicyResult = loadPolicy(source, fileName, { grammar: iamPolicyGrammar });
  if (result.ok) throw new Error("expected the policy to be rejected, but it loaded");
  return result.errors;
}

/** The first lines of a valid policy (lines 1-4); tests append `rules:` and beyond from line 5. */
export const HEADER = [
  "version: 1",
  "permissionSets:",
  "  ReadOnly: {}",
  "  DeveloperAccess: { sessionDuration: PT8H }",
];

/** A valid rule list starting at line 5 (`rules:`), the rule's keys at column 5. */
export const ONE_RULE = [
  "rules:",
  "  - name: devs",
  "    group: aws-developers",
  "    permissionSet: DeveloperAccess",
  "    targets:",
  '      accounts: ["111111111111"]',
];
