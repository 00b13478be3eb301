import type { z } from "zod";
import { quoteValue } from "../field-error.ts";
import { describeFound, lastKeyPath, unknownKeyText, YAML_WORDS } from "../schema-issue-text.ts";
import { allowedKeys } from "./allowed-keys.ts";
import { formatPolicyPath, type PolicyPath, type PolicyProblem } from "./policy-error.ts";

/** What `describeSchemaIssue` needs besides the issue. */
export interface IssueContext {
  /** The schema that reported the issue; unknown keys are compared with the keys it allows. */
  schema: z.ZodType;
  /** The source text of the value at `path` (to show a number exactly as written, leading zeros included). */
  sourceOf: (path: PolicyPath) => string;
}

type Issue = z.core.$ZodIssue;

/** How each type zod expects reads in an error; keys are zod's `expected` names. */
const EXPECTED: ReadonlyMap<string, string> = new Map([
  ["string", "a string"],
  ["number", "a number"],
  ["int", "a whole number"],
  ["boolean", "true or false"],
  ["object", "a mapping (key: value)"],
  ["record", "a mapping (key: value)"],
  ["array", "a list (- item)"],
]);

/** What a malformed value should have been, by the key that holds it (other keys name themselves). */
const FORMAT_NOUNS: ReadonlyMap<string, string> = new Map([
  ["accounts", "AWS account id"],
  ["managementAccountId", "AWS account id"],
  ["ous", "OU id"],
  ["id", "Okta group id"],
  ["provisioningAppIds", "Okta app id"],
  ["name", "rule name"],
  // Keys of `credentials` that other sections use for something else: matched by their whole key path.
  ["credentials.accounts.id", "AWS account id"],
  ["credentials.accounts.roleName.discovery", "IAM role name"],
  ["credentials.accounts.roleName.revocation", "IAM role name"],
  ["credentials.accounts.externalId", "external id"],
  ["credentials.memberRoleName.discovery", "IAM role name"],
  ["credentials.memberRoleName.revocation", "IAM role name"],
  ["credentials.breakGlass", "break-glass IAM user"],
  ["credentials.automationPrincipals", "IAM principal ARN"],
]);

/** What the keys of a mapping are, by the key that holds the mapping. */
const KEY_NOUNS: ReadonlyMap<string, string> = new Map([
  ["permissionSets", "permission set name"],
  ["tags", "tag key"],
]);

/**
 * Turns one zod issue into problems that say what is wrong (naming the value found) and how to fix it.
 * The schema's own messages are written as fixes, so they become `fix`. An issue listing several
 * unknown keys becomes one problem per key, each pointing at its key.
 */
export function describeSchemaIssue(issue: Issue, context: IssueContext): PolicyProblem[] {
  const path = issue.path.map((segment) => (typeof segment === "number" ? segment : String(segment)));
  switch (issue.code) {
    case "invalid_type":
      return [describeType(path, issue, context)];
    case "invalid_value":
      return [describeValue(path, issue)];
    case "invalid_format":
      return [
        { path, message: `malformed ${formatNoun(path)} ${quoteValue(issue.input)}`, fix: issue.message },
      ];
    case "too_small":
    case "too_big":
      return [describeSize(path, issue)];
    case "unrecognized_keys":
      return issue.keys.map((key) => unknownKey(path, key, context));
    case "invalid_key":
      return [describeKey(path, issue)];
    case "invalid_union":
      return [
        {
          path,
          message: `invalid ${label(path)}: found ${describeFound(issue.input, YAML_WORDS)}`,
          fix: issue.message,
        },
      ];
    default:
      return [{ path, message: issue.message, fix: "see the access policy reference in the README" }];
  }
}

function describeType(
  path: PolicyPath,
  issue: z.core.$ZodIssueInvalidType,
  context: IssueContext,
): PolicyProblem {
  const expected = EXPECTED.get(issue.expected) ?? issue.expected;
  if (issue.input === undefined) return missingKey(path, expected);
  if (issue.expected === "string" && typeof issue.input === "number") {
    return {
      path,
      message: `expected a string, found the number ${context.sourceOf(path)}`,
      fix: `put it in quotes: "${context.sourceOf(path)}" (YAML reads bare digits as a number)`,
    };
  }
  return {
    path,
    message: `expected ${expected}, found ${describeFound(issue.input, YAML_WORDS)}`,
    fix: `write ${expected} here`,
  };
}

function describeValue(path: PolicyPath, issue: z.core.$ZodIssueInvalidValue): PolicyProblem {
  const expected = issue.values.length === 1 ? String(issue.values[0]) : `one of ${issue.values.join(", ")}`;
  if (issue.input === undefined) return missingKey(path, expected);
  return {
    path,
    message: `expected ${expected}, found ${describeFound(issue.input, YAML_WORDS)}`,
    fix: `set it to ${expected}`,
  };
}

function missingKey(path: PolicyPath, expected: string): PolicyProblem {
  const key = String(path.at(-1));
  return { path, message: `missing required key '${key}'`, fix: `add '${key}:' with ${expected}` };
}

function unknownKey(path: PolicyPath, key: string, context: IssueContext): PolicyProblem {
  const allowed = allowedKeys(context.schema, path);
  return { path: [...path, key], at: "key", ...unknownKeyText(key, allowed) };
}

function describeKey(path: PolicyPath, issue: z.core.$ZodIssueInvalidKey): PolicyProblem {
  const noun = KEY_NOUNS.get(String(path.at(-2))) ?? "key";
  return {
    path,
    at: "key",
    message: `invalid ${noun} ${quoteValue(path.at(-1))}`,
    fix: issue.issues.map((inner) => inner.message).join("; "),
  };
}

function describeSize(
  path: PolicyPath,
  issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig,
): PolicyProblem {
  const bound =
    issue.code === "too_small" ? `the minimum is ${issue.minimum}` : `the maximum is ${issue.maximum}`;
  if (issue.origin === "number")
    return { path, message: `${label(path)} is ${issue.input}; ${bound}`, fix: issue.message };
  // Strings and lists: the schema only asks for "at least one" today, but say the length in general.
  const { length } = issue.input as { length: number };
  const message = length === 0 ? `${label(path)} is empty` : `${label(path)} has length ${length}; ${bound}`;
  return { path, message, fix: issue.message };
}

/** The path from its last key on, e.g. `sessionTagAttributes[0]`: enough to name the value in a message. */
function label(path: PolicyPath): string {
  return formatPolicyPath(lastKeyPath(path));
}

function formatNoun(path: PolicyPath): string {
  const keys = path.filter((s) => typeof s === "string");
  return FORMAT_NOUNS.get(keys.join(".")) ?? FORMAT_NOUNS.get(String(keys.at(-1))) ?? label(path);
}
