/**
 * MaxResults / NextToken pagination. A token is opaque to the caller but bound to the list it
 * came from: reusing it for another list (or forging one) answers ValidationException, as AWS does.
 * Pages may be short or empty with a NextToken, as AWS's may (`limits.pageShape`, page-shape.ts).
 */
import { type PagePosition, slicePage } from "../page-shape.ts";
import { validationError } from "./errors.ts";
import type { EmulatorLimits } from "./options.ts";
import type { RequestFields } from "./request-fields.ts";

/** The largest MaxResults Identity Center list calls accept. */
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  maxResults: number | undefined;
  nextToken: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  nextToken?: string;
}

/** Reads `MaxResults` (1..100) and `NextToken` from a request. */
export function readPageRequest(fields: RequestFields): PageRequest {
  return {
    maxResults: fields.optionalInteger("MaxResults", 1, MAX_PAGE_SIZE),
    nextToken: fields.optionalString("NextToken", { max: 65_535 }),
  };
}

const encode = (scope: string, at: PagePosition): string =>
  Buffer.from(JSON.stringify({ s: scope, o: at.offset, p: at.page })).toString("base64url");

const isCount = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 0;

function decode(token: string, scope: string): PagePosition {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
      s?: unknown;
      o?: unknown;
      p?: unknown;
    };
    if (parsed.s === scope && isCount(parsed.o) && isCount(parsed.p)) {
      return { offset: parsed.o, page: parsed.p };
    }
  } catch {
    // Falls through to the same answer as a well-formed token for another list.
  }
  throw validationError("Invalid NextToken: it was not returned by this list call with these parameters");
}

/**
 * One page of `items`, shaped by `limits.pageShape`. `scope` names the list and its parameters (e.g.
 * the account and permission set of ListAccountAssignments) so a token only continues the list it
 * came from. Each token also counts the pages answered, so an empty page's token is never repeated.
 */
export function paginate<T>(
  items: readonly T[],
  request: PageRequest,
  scope: string,
  limits: Pick<EmulatorLimits, "defaultPageSize" | "pageShape">,
): Page<T> {
  const at = request.nextToken === undefined ? { offset: 0, page: 0 } : decode(request.nextToken, scope);
  const slice = slicePage(items.length, at, request.maxResults ?? limits.defaultPageSize, limits.pageShape);
  const page: Page<T> = { items: items.slice(slice.start, slice.end) };
  if (slice.next !== undefined) page.nextToken = encode(scope, slice.next);
  return page;
}
