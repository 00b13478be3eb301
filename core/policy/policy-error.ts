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

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** `["rules", 2, "targets"]` -> `rules[2].targets`; keys that are not identifiers are quoted: `tags["a:b"]`. */
export function formatPolicyPath(path: PolicyPath): string {
  if (path.length === 0) return "(root)";
  return path
    .map((segment, index) => {
      if (typeof segment === "number") return `[${segment}]`;
      if (!IDENTIFIER.test(segment)) return `[${JSON.stringify(segment)}]`;
      return index === 0 ? segment : `.${segment}`;
    })
    .join("");
}
