import { formatPath } from "../field-error.ts";

/** A path into the policy document: mapping keys and list indexes, outermost first. */
export type PolicyPath = readonly (string | number)[];

/** A problem found in a policy, before it is tied to a place in the file. */
export interface PolicyProblem {
  path: PolicyPath;
  /** What is wrong, naming the offending value. */
  message: string;
  /** How to fix it. */
  fix: string;
  /**
   * Point at the mapping key rather than its value (unknown keys, invalid keys).
   * @default "value"
   */
  at?: "key" | "value";
}

/** A policy error as a compiler would print it: file, 1-based line and column, path, message, fix. */
export interface PolicyError {
  file: string;
  line: number;
  column: number;
  /** Like `rules[2].targets.accounts[0]`; `(root)` for the document itself, `(syntax)` for YAML errors. */
  path: string;
  message: string;
  fix: string;
}

/** `["rules", 2, "targets"]` -> `rules[2].targets`; keys that are not identifiers are quoted: `tags["a:b"]`. */
export function formatPolicyPath(path: PolicyPath): string {
  return formatPath(path, { dashedKeys: true });
}
