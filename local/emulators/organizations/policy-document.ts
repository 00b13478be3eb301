/**
 * The checks Organizations makes on SCP content: the size limit (every character counts, whitespace
 * included) and the SCP subset of the IAM grammar (one JSON object, statements with Effect, no
 * Principal). Returns why a document is refused, or null.
 */
import { malformedPolicy, policyContentTooLarge } from "./errors.ts";

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function grammarProblem(content: string): string | null {
  let policy: unknown;
  try {
    policy = JSON.parse(content);
  } catch {
    return "it is not valid JSON";
  }
  if (!isObject(policy)) return "it must be one JSON object";
  const statement = policy.Statement;
  const statements = Array.isArray(statement) ? statement : [statement];
  if (statement === undefined || statements.length === 0) return "it has no Statement";
  for (const s of statements) {
    if (!isObject(s)) return "every statement must be a JSON object";
    if (s.Effect !== "Allow" && s.Effect !== "Deny") return "every statement needs Effect Allow or Deny";
    if ("Principal" in s || "NotPrincipal" in s) return "SCPs do not support Principal or NotPrincipal";
    if (!("Action" in s) && !("NotAction" in s)) return "every statement needs Action or NotAction";
  }
  return null;
}

/** Throws the error Organizations answers for this SCP content, if any. */
export function checkScpContent(content: string, maxChars: number): void {
  if ([...content].length > maxChars) throw policyContentTooLarge();
  const problem = grammarProblem(content);
  if (problem !== null) throw malformedPolicy(problem);
}
