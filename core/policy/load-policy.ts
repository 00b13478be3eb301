import {
  type Alias,
  type Document,
  LineCounter,
  type Node,
  parseDocument,
  visit,
  type YAMLError,
} from "yaml";
import { describeSchemaIssue } from "./describe-schema-issue.ts";
import { findNode, startOf, textOf } from "./find-node.ts";
import type { InlinePolicyGrammar } from "./inline-policy-grammar.ts";
import { formatPolicyPath, type PolicyError, type PolicyProblem } from "./policy-error.ts";
import { type ReadPolicyRelativeFile, resolveInlinePolicyFiles } from "./resolve-inline-policy-files.ts";
import { type Policy, PolicyDocument } from "./schema.ts";
import { validateSemantics } from "./validate-semantics.ts";

/** The outcome of loading a policy: the validated policy, or every error found, in file order. */
export type LoadPolicyResult = { ok: true; policy: Policy } | { ok: false; errors: PolicyError[] };

/** How to fix the YAML syntax errors people actually make, by the `yaml` package's error code. */
const YAML_FIXES: ReadonlyMap<string, string> = new Map([
  ["DUPLICATE_KEY", "keep one of the two keys: YAML does not allow a key twice in one mapping"],
  ["TAB_AS_INDENT", "indent with spaces, not tabs"],
  ["MULTIPLE_DOCS", "keep one YAML document per policy file: remove the extra '---'"],
  ["BAD_INDENT", "check the indentation, and that every '[' or '{' is closed"],
]);

const SYNTAX_FIX = "fix the YAML syntax here (indentation, quotes, brackets, ':' after each key)";

/**
 * Parses and validates a policy file. Every error carries the file, the 1-based line and column of the
 * offending YAML node, the path to it (`rules[2].targets.accounts[0]`), what is wrong and how to fix it.
 * YAML syntax errors are reported first (nothing else can be checked); then schema errors; then, for a
 * well-formed policy, the semantic checks of `validateSemantics`. Never throws, whatever the input.
 */
export function loadPolicy(
  sourceText: string,
  fileName: string,
  options: {
    /** Reads files named relative to the policy file (permission sets' `inlinePolicy: file.json`). @default none: such a path is an error */
    readRelativeFile?: ReadPolicyRelativeFile;
    /**
     * IAM's grammar for inline policies (inline-policy-grammar.ts; the CLI and the local stack give
     * adapters/iam-policy-grammar.ts). @default none: deployed runs rely on Identity Center's validation
     */
    grammar?: InlinePolicyGrammar;
  } = {},
): LoadPolicyResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(sourceText, { lineCounter, prettyErrors: false, logLevel: "error" });
  const errorAt = (offset: number, path: string, message: string, fix: string): PolicyError => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: fileName, line, column: col, path, message, fix };
  };
  const fromProblem = (problem: PolicyProblem): PolicyError => {
    const node = findNode(doc, problem.path, problem.at);
    const offset = node === null ? 0 : startOf(node);
    return errorAt(offset, formatPolicyPath(problem.path), problem.message, problem.fix);
  };

  if (doc.errors.length > 0) {
    return failed(
      doc.errors.map((error: YAMLError) => errorAt(error.pos[0], "(syntax)", error.message, yamlFix(error))),
    );
  }
  const aliases = unresolvedAliases(doc);
  if (aliases.length > 0) {
    return failed(
      aliases.map((alias) =>
        errorAt(
          startOf(alias),
          "(syntax)",
          `alias *${alias.source} refers to no anchor before it`,
          `define the anchor &${alias.source} before this alias, or fix its name`,
        ),
      ),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // An alias bomb (more than 100 alias expansions) only surfaces when the aliases are expanded.
    const reason = (error as Error).message;
    return failed([errorAt(0, "(syntax)", reason, "use fewer aliases (*name), and do not nest them")]);
  }
  const parsed = PolicyDocument.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const sourceOf = (path: PolicyProblem["path"]) => textOf(findNode(doc, path) as Node, sourceText);
    const problems = parsed.error.issues.flatMap((issue) =>
      describeSchemaIssue(issue, { schema: PolicyDocument, sourceOf }),
    );
    return failed(problems.map(fromProblem));
  }
  const problems = validateSemantics(parsed.data, options.grammar);
  if (problems.length > 0) return failed(problems.map(fromProblem));
  const fileProblems = resolveInlinePolicyFiles(parsed.data, options.readRelativeFile, options.grammar);
  if (fileProblems.length > 0) return failed(fileProblems.map(fromProblem));
  return { ok: true, policy: parsed.data };
}

/** Aliases whose anchor is not defined before them (`toJS` would throw on the first one). */
function unresolvedAliases(doc: Document): Alias[] {
  const found: Alias[] = [];
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) === undefined) found.push(alias);
    },
  });
  return found;
}

function yamlFix(error: YAMLError): string {
  return YAML_FIXES.get(error.code) ?? SYNTAX_FIX;
}

/** Errors sorted the way a compiler prints them: by line, then column. */
function failed(errors: PolicyError[]): LoadPolicyResult {
  return { ok: false, errors: errors.sort((a, b) => a.line - b.line || a.column - b.column) };
}
