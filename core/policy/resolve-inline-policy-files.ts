import { parse } from "yaml";
import type { InlinePolicyGrammar } from "./inline-policy-grammar.ts";
import type { PolicyProblem } from "./policy-error.ts";
import type { Policy } from "./schema.ts";
import { validateInlineDocument } from "./validate-permission-set-content.ts";

/** Reads a file named relative to the policy file; throws when it cannot (its message is shown). */
export type ReadPolicyRelativeFile = (relativePath: string) => string;

/**
 * Replaces every `inlinePolicy` given as a file path with the document the file holds (JSON or YAML),
 * checked like an inline one. Without `readFile` (a caller that has only the policy text, such as a
 * deployed run reading one object) a file path is an error that says to inline the document.
 * Returns the problems; on none, every `inlinePolicy` of `policy` is an object.
 */
export function resolveInlinePolicyFiles(
  policy: Policy,
  readFile: ReadPolicyRelativeFile | undefined,
  grammar?: InlinePolicyGrammar,
): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const [name, decl] of Object.entries(policy.permissionSets)) {
    const file = decl.inlinePolicy;
    if (typeof file !== "string") continue;
    const path = ["permissionSets", name, "inlinePolicy"];
    if (readFile === undefined) {
      problems.push({
        path,
        message: `inline policy file '${file}' cannot be read here: this policy was loaded without its directory`,
        fix: "write the policy document under inlinePolicy instead of a file path",
      });
      continue;
    }
    let document: unknown;
    try {
      document = parse(readFile(file));
    } catch (error) {
      problems.push({
        path,
        message: `inline policy file '${file}' cannot be read: ${(error as Error).message}`,
        fix: "give a .json or .yaml file path relative to the policy file, holding one IAM policy document",
      });
      continue;
    }
    if (typeof document !== "object" || document === null || Array.isArray(document)) {
      problems.push({
        path,
        message: `inline policy file '${file}' does not hold a policy document (a JSON/YAML object)`,
        fix: "put one IAM policy document ({ Version, Statement }) in the file",
      });
      continue;
    }
    const found = validateInlineDocument(document as Record<string, unknown>, path, file, grammar);
    problems.push(...found);
    if (found.length === 0) decl.inlinePolicy = document as Record<string, unknown>;
  }
  return problems;
}
