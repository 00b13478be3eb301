/**
 * How full the pages of an emulated AWS list call are. AWS may answer fewer items than MaxResults,
 * even none, together with a NextToken:
 * - sso-admin (service model 2020-07-20, e.g. ListAccountAssignmentsForPrincipalRequest.MaxResults):
 *   "the service might return fewer results than the maximum even when there are more results
 *   available. You should check NextToken after every operation".
 * - Organizations (service model 2016-11-28, ListAccounts and the other List* operations): "always
 *   check the NextToken response parameter value, even if you receive an empty result set. These
 *   operations can occasionally return an empty set of results even when more results are available."
 * - identitystore documents only that a NextToken comes back "if the total results are more than the
 *   size of one page"; the emulator applies the same shapes to it, since callers cannot tell.
 * AWS does not say when it does so; each shape is deterministic so a test can force the worst case.
 */

/**
 * `full`: every page holds as many items as MaxResults (or the default page size) allows;
 * `short`: every page holds half of that, rounded up (a caller that stops on a short page loses items);
 * `empty-first`: the first page of every list is empty with a NextToken, even for an empty list, then
 * full pages follow (a caller that stops on an empty page, or reads only the first, loses everything).
 */
export type PageShape = "full" | "short" | "empty-first";

export const PAGE_SHAPES: readonly PageShape[] = ["full", "short", "empty-first"];

/** Where a page starts: the item offset, and how many pages of this list were answered before it. */
export interface PagePosition {
  offset: number;
  page: number;
}

/** The items `[start, end)` of one page, and where the next page starts (absent on the last page). */
export interface PageSlice {
  start: number;
  end: number;
  next?: PagePosition;
}

/** The slice of a list of `total` items that the page at `at` holds, for a page size of `size`. */
export function slicePage(total: number, at: PagePosition, size: number, shape: PageShape): PageSlice {
  if (shape === "empty-first" && at.page === 0) {
    return { start: at.offset, end: at.offset, next: { offset: at.offset, page: 1 } };
  }
  const held = shape === "short" ? Math.ceil(size / 2) : size;
  const end = Math.min(total, at.offset + held);
  return end < total
    ? { start: at.offset, end, next: { offset: end, page: at.page + 1 } }
    : { start: at.offset, end };
}
