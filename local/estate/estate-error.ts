import { formatPath } from "../../core/field-error.ts";

/** A path into the estate document: object keys and array indexes, outermost first. */
export type EstatePath = readonly (string | number)[];

/** One thing wrong with an estate file: where, what, and how to fix it. */
export interface EstateProblem {
  /** Like `okta.memberships[12].group`; `(root)` for the document itself, `(syntax)` for JSON errors. */
  path: string;
  /** What is wrong, naming the offending value. */
  message: string;
  /** How to fix it. */
  fix: string;
  /** 1-based line of the offending value, when the source text is known. */
  line?: number;
  /** 1-based column of the offending value, when the source text is known. */
  column?: number;
}

/** A problem before it is tied to a place in the file. */
export interface EstateProblemAt {
  path: EstatePath;
  message: string;
  fix: string;
  /**
   * Point at the object key rather than its value (unknown keys).
   * @default "value"
   */
  at?: "key" | "value";
}

/** What every estate error carries: the file (or source name) and every problem found. */
export abstract class EstateError extends Error {
  readonly source: string;
  readonly problems: readonly EstateProblem[];

  constructor(source: string, problems: readonly EstateProblem[], options?: ErrorOptions) {
    super(formatEstateProblems(source, problems), options);
    this.source = source;
    this.problems = problems;
  }
}

/** The estate file could not be read (missing, a directory, no permission). */
export class EstateReadError extends EstateError {
  override name = "EstateReadError";
}

/** The estate file is not well-formed JSON. */
export class EstateSyntaxError extends EstateError {
  override name = "EstateSyntaxError";
}

/** The estate is well-formed JSON but breaks the schema or refers to things it does not declare. */
export class EstateInvalidError extends EstateError {
  override name = "EstateInvalidError";
}

/** `["okta", "memberships", 12, "group"]` -> `okta.memberships[12].group`; odd keys are quoted: `tags["a b"]`. */
export function formatEstatePath(path: EstatePath): string {
  return formatPath(path, { dashedKeys: true });
}

/**
 * Problems as a compiler prints them, one per line with its fix below:
 * `estate.json:12:7 okta.memberships[3].group: unknown group 'aws-devs'`.
 */
export function formatEstateProblems(source: string, problems: readonly EstateProblem[]): string {
  const noun = problems.length === 1 ? "problem" : "problems";
  const lines = problems.map((problem) => {
    const where = problem.line === undefined ? source : `${source}:${problem.line}:${problem.column ?? 1}`;
    return `${where} ${problem.path}: ${problem.message}\n    fix: ${problem.fix}`;
  });
  return [`${source}: ${problems.length} ${noun}`, ...lines].join("\n");
}
