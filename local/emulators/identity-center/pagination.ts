/**
 * MaxResults / NextToken pagination. A token is opaque to the caller but bound to the list it
 * came from: reusing it for another list (or forging one) answers ValidationException, as AWS does.
 */
import { validationError } from "./errors.ts";
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

const encode = (scope: string, offset: number): string =>
  Buffer.from(JSON.stringify({ s: scope, o: offset })).toString("base64url");

function decode(token: string, scope: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
      s?: unknown;
      o?: unknown;
    };
    if (parsed.s === scope && typeof parsed.o === "number" && Number.isInteger(parsed.o) && parsed.o >= 0) {
      return parsed.o;
    }
  } catch {
    // Falls through to the same answer as a well-formed token for another list.
  }
  throw validationError("Invalid NextToken: it was not returned by this list call with these parameters");
}

/**
 * One page of `items`. `scope` names the list and its parameters (e.g. the account and permission
 * set of ListAccountAssignments) so a token only continues the list it came from.
 */
export function paginate<T>(
  items: readonly T[],
  request: PageRequest,
  scope: string,
  defaultPageSize: number,
): Page<T> {
  const offset = request.nextToken === undefined ? 0 : decode(request.nextToken, scope);
  const size = request.maxResults ?? defaultPageSize;
  const end = offset + size;
  const page: Page<T> = { items: items.slice(offset, end) };
  if (end < items.length) page.nextToken = encode(scope, end);
  return page;
}
