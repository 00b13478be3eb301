/**
 * MaxResults / NextToken pagination. A token is opaque to the caller but bound to the list it came
 * from: reusing it for another list (or forging one) answers InvalidInputException, Reason
 * INVALID_NEXT_TOKEN, as Organizations does. Pages may be short or empty with a NextToken, as
 * Organizations' may (`limits.pageShape`, page-shape.ts).
 */
import { type PagePosition, slicePage } from "../page-shape.ts";
import { invalidInput } from "./errors.ts";
import type { OrganizationsLimits } from "./options.ts";
import { maxResults } from "./request.ts";

export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  nextToken?: string;
}

const encode = (scope: string, at: PagePosition) =>
  Buffer.from(JSON.stringify({ s: scope, o: at.offset, p: at.page })).toString("base64url");

const isCount = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;

function decode(token: unknown, scope: string): PagePosition {
  try {
    const parsed = JSON.parse(Buffer.from(String(token), "base64url").toString("utf8"));
    if (parsed?.s === scope && isCount(parsed?.o) && isCount(parsed?.p))
      return { offset: parsed.o, page: parsed.p };
  } catch {
    // Same answer as a well-formed token of another list.
  }
  throw invalidInput("INVALID_NEXT_TOKEN", "The NextToken value isn't valid for this list.");
}

/**
 * One page of `items`, shaped by `limits.pageShape`. `scope` names the list and its parameters (e.g.
 * the parent of ListAccountsForParent) so a token only continues the list it came from. Each token
 * also counts the pages answered, so an empty page's token is never repeated.
 */
export function paginate<T>(
  items: readonly T[],
  // biome-ignore lint/suspicious/noExplicitAny: the JSON body of a request
  input: any,
  scope: string,
  limits: Pick<OrganizationsLimits, "pageSize" | "pageShape">,
): Page<T> {
  const at = input?.NextToken === undefined ? { offset: 0, page: 0 } : decode(input.NextToken, scope);
  const size = Math.min(maxResults(input) ?? limits.pageSize, limits.pageSize);
  const slice = slicePage(items.length, at, size, limits.pageShape);
  const page: Page<T> = { items: items.slice(slice.start, slice.end) };
  if (slice.next !== undefined) page.nextToken = encode(scope, slice.next);
  return page;
}
