import { invalidSearchCriteria } from "../errors.ts";
import {
  disallowedClause,
  type FilterRules,
  FilterSyntaxError,
  matchesFilter,
  parseFilter,
} from "../scim-filter.ts";

/**
 * Parses a `filter` or `search` query parameter of the Users or Groups API into a predicate over the
 * resource's JSON; `undefined` when the parameter is absent. An expression that does not parse, or that
 * uses an attribute or operator outside `rules` (the parameter's description in the management spec),
 * is 400 E0000031 "Invalid search criteria.". `search` compares string values case-insensitively, as
 * the spec says ("operators ... and string values are case insensitive"); `filter` does not.
 */
export function parseFilterParam(
  url: URL,
  name: "filter" | "search",
  rules: FilterRules,
): ((subject: unknown) => boolean) | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw.trim() === "") return undefined;
  let node: ReturnType<typeof parseFilter>;
  try {
    node = parseFilter(raw);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw invalidSearchCriteria(name, error.message);
    throw error;
  }
  const disallowed = disallowedClause(node, rules);
  if (disallowed !== null) {
    throw invalidSearchCriteria(name, `'${disallowed}' is not supported; ${describeRules(rules)}`);
  }
  const options = { caseInsensitive: name === "search" };
  return (subject) => matchesFilter(node, subject, options);
}

/** `id (eq), lastUpdated (eq, gt, ...), profile.* (eq, sw)`: what a parameter accepts, for the error. */
function describeRules(rules: FilterRules): string {
  const entries = [
    ...Object.entries(rules.attributes),
    ...Object.entries(rules.prefixes ?? {}).map(([prefix, ops]) => [`${prefix}*`, ops] as const),
  ];
  return `supported: ${entries.map(([attribute, ops]) => `${attribute} (${ops.join(", ")})`).join("; ")}`;
}
