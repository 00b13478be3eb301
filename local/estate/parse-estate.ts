import { LineCounter, parseDocument } from "yaml";
import { findNode, startOf } from "../../core/policy/find-node.ts";
import { checkReferences } from "./check-references.ts";
import { describeEstateIssue } from "./describe-estate-issue.ts";
import {
  EstateInvalidError,
  type EstateProblem,
  type EstateProblemAt,
  EstateSyntaxError,
  formatEstatePath,
} from "./estate-error.ts";
import { EstateFile } from "./schema.ts";

/** A validated estate, or the error that lists every problem found. */
export type ParseEstateResult =
  | { ok: true; estate: EstateFile }
  | { ok: false; error: EstateSyntaxError | EstateInvalidError };

/** Finds the 1-based line and column of the value (or key) a path points at. */
type Locate = (problem: EstateProblemAt) => Pick<EstateProblem, "line" | "column">;

/**
 * Parses and validates the text of an estate file. Problems name the JSON path, the line and column,
 * what is wrong and how to fix it: a JSON syntax error first (nothing else can be checked), then the
 * schema's problems, then, for a well-formed estate, broken references (see `checkReferences`). A key
 * written twice in one object is a problem too: JSON.parse would silently keep only the last.
 * Never throws.
 */
export function parseEstate(json: string, sourceName: string): ParseEstateResult {
  const text = json.startsWith("\uFEFF") ? json.slice(1) : json;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const problem = syntaxProblem(text, error as SyntaxError);
    return { ok: false, error: new EstateSyntaxError(sourceName, [problem], { cause: error }) };
  }
  // JSON is YAML 1.2 flow syntax: the YAML parser gives every node its position in the text.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, logLevel: "silent" });
  const locate: Locate = (problem) => {
    const node = findNode(doc, problem.path, problem.at);
    if (node === null) return {};
    const { line, col } = lineCounter.linePos(startOf(node));
    return { line, column: col };
  };
  const duplicateKeys: EstateProblem[] = doc.errors
    .filter((error) => error.code === "DUPLICATE_KEY")
    .map((error) => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      return {
        path: "(duplicate key)",
        message: "a key appears twice in one object; JSON keeps only the last one",
        fix: "keep one of the two keys (merge their values if both matter)",
        line,
        column: col,
      };
    });
  return validate(value, sourceName, locate, duplicateKeys);
}

/**
 * Validates an estate that is already a JavaScript value (e.g. built in code). Like `parseEstate`,
 * without lines and columns.
 */
export function validateEstate(value: unknown, sourceName: string): ParseEstateResult {
  return validate(value, sourceName, () => ({}), []);
}

function validate(
  value: unknown,
  sourceName: string,
  locate: Locate,
  earlier: EstateProblem[],
): ParseEstateResult {
  const place = (problem: EstateProblemAt): EstateProblem => ({
    path: formatEstatePath(problem.path),
    message: problem.message,
    fix: problem.fix,
    ...locate(problem),
  });
  const parsed = EstateFile.safeParse(value, { reportInput: true });
  const problems = parsed.success
    ? checkReferences(parsed.data).map(place)
    : parsed.error.issues.flatMap(describeEstateIssue).map(place);
  const all = [...earlier, ...problems];
  if (parsed.success && all.length === 0) return { ok: true, estate: parsed.data };
  return { ok: false, error: new EstateInvalidError(sourceName, byPosition(all)) };
}

/** Problems with a position sorted by it (stable), then those without, in the order found. */
function byPosition(problems: EstateProblem[]): EstateProblem[] {
  const rank = (problem: EstateProblem) =>
    (problem.line ?? Number.MAX_SAFE_INTEGER) * 1e6 + (problem.column ?? 0);
  return [...problems].sort((a, b) => rank(a) - rank(b));
}

/**
 * JSON.parse's error, with the line and column it names; the end of the text for a truncated file.
 * Some messages name no position (`Unexpected token 'a', "abc" is not valid JSON`) but quote the text.
 */
function syntaxProblem(text: string, error: SyntaxError): EstateProblem {
  const problem: EstateProblem = {
    path: "(syntax)",
    message: error.message,
    fix: "fix the JSON syntax here: quotes around keys and strings, commas between items, no trailing comma",
  };
  const lineColumn = /line (\d+) column (\d+)/.exec(error.message);
  if (lineColumn !== null) return { ...problem, line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  if (error.message.includes("end of JSON input")) {
    const lines = text.split("\n");
    return { ...problem, line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
  }
  return problem;
}
