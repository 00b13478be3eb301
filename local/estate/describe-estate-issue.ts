import type { z } from "zod";
import { quoteValue } from "../../core/field-error.ts";
import { allowedKeys } from "../../core/policy/allowed-keys.ts";
import { describeFound, JSON_WORDS, lastKeyPath, unknownKeyText } from "../../core/schema-issue-text.ts";
import { type EstatePath, type EstateProblemAt, formatEstatePath } from "./estate-error.ts";
import { EstateFile } from "./schema.ts";

type Issue = z.core.$ZodIssue;

/** How each type zod expects reads in an error; keys are zod's `expected` names. */
const EXPECTED: ReadonlyMap<string, string> = new Map([
  ["string", "a string"],
  ["number", "a number"],
  ["boolean", "true or false"],
  ["object", "an object ({ ... })"],
  ["record", "an object ({ ... })"],
  ["array", "an array ([ ... ])"],
]);

/**
 * Turns one zod issue on an estate document into problems that say what is wrong (naming the value
 * found) and how to fix it. The schema's own messages are written as fixes. An issue listing several
 * unknown keys becomes one problem per key, each with the closest allowed key as a suggestion.
 */
export function describeEstateIssue(issue: Issue): EstateProblemAt[] {
  const path = issue.path.map((segment) => (typeof segment === "number" ? segment : String(segment)));
  switch (issue.code) {
    case "invalid_type":
      return [describeType(path, issue)];
    case "invalid_value":
      return [describeValue(path, issue)];
    case "invalid_format":
      return [{ path, message: `malformed ${label(path)} ${quoteValue(issue.input)}`, fix: issue.message }];
    case "too_small":
    case "too_big":
      return [describeSize(path, issue)];
    case "unrecognized_keys":
      return issue.keys.map((key) => unknownKey(path, key));
    case "invalid_key":
      return [
        {
          path: [...path],
          at: "key",
          message: `invalid key ${quoteValue(path.at(-1))}`,
          fix: issue.issues.map((inner) => inner.message).join("; "),
        },
      ];
    case "invalid_union":
      return [
        {
          path,
          message: `invalid ${label(path)}: found ${describeFound(issue.input, JSON_WORDS)}`,
          fix: issue.message,
        },
      ];
    default:
      return [{ path, message: issue.message, fix: "see docs/estate.schema.json" }];
  }
}

function describeType(path: EstatePath, issue: z.core.$ZodIssueInvalidType): EstateProblemAt {
  const expected = EXPECTED.get(issue.expected) ?? issue.expected;
  if (issue.input === undefined) return missingKey(path, expected);
  if (issue.expected === "string" && typeof issue.input === "number") {
    return {
      path,
      message: `expected a string, found the number ${issue.input}`,
      fix: `put it in quotes: "${issue.input}" (a JSON number drops an account id's leading zeros)`,
    };
  }
  return {
    path,
    message: `expected ${expected}, found ${describeFound(issue.input, JSON_WORDS)}`,
    fix: `write ${expected} here`,
  };
}

function describeValue(path: EstatePath, issue: z.core.$ZodIssueInvalidValue): EstateProblemAt {
  const values = issue.values.map((value) => JSON.stringify(value));
  const expected = values.length === 1 ? String(values[0]) : `one of ${values.join(", ")}`;
  if (issue.input === undefined) return missingKey(path, expected);
  return {
    path,
    message: `expected ${expected}, found ${describeFound(issue.input, JSON_WORDS)}`,
    fix: `use ${expected}`,
  };
}

function missingKey(path: EstatePath, expected: string): EstateProblemAt {
  const key = String(path.at(-1));
  return { path, message: `missing required key '${key}'`, fix: `add "${key}": ${expected}` };
}

function unknownKey(path: EstatePath, key: string): EstateProblemAt {
  const allowed = allowedKeys(EstateFile, path);
  return { path: [...path, key], at: "key", ...unknownKeyText(key, allowed) };
}

function describeSize(
  path: EstatePath,
  issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig,
): EstateProblemAt {
  const bound =
    issue.code === "too_small" ? `the minimum is ${issue.minimum}` : `the maximum is ${issue.maximum}`;
  const { length } = issue.input as { length: number };
  const unit = issue.origin === "array" ? "items" : "characters";
  const message = length === 0 ? `${label(path)} is empty` : `${label(path)} has ${length} ${unit}; ${bound}`;
  return { path, message, fix: issue.message };
}

/** The path from its last key on, e.g. `accounts[3]`: enough to name the value in a message. */
function label(path: EstatePath): string {
  return formatEstatePath(lastKeyPath(path));
}
