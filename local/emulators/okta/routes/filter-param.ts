import { invalidFilter } from "../errors.ts";
import { FilterSyntaxError, matchesFilter, parseFilter } from "../scim-filter.ts";

/**
 * Parses a SCIM filter query parameter into a predicate; `undefined` when the parameter is absent.
 * A filter that does not parse is 400 E0000053, Okta's "Invalid filter" error.
 */
export function parseFilterParam(
  url: URL,
  name: "filter" | "search",
): ((subject: unknown) => boolean) | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw.trim() === "") return undefined;
  try {
    const node = parseFilter(raw);
    return (subject) => matchesFilter(node, subject);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw invalidFilter(raw, error.message);
    throw error;
  }
}
