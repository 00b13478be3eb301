/**
 * Reading AWS lists through the SDK v3 paginators, which follow NextToken until it is absent. AWS may
 * answer a short or even empty page with a NextToken (sso-admin: "the service might return fewer
 * results than the maximum even when there are more results available"; Organizations: "can
 * occasionally return an empty set of results even when more results are available"), so one call's
 * first page proves neither that a list is empty nor what its first item is.
 */

/** Every item of a paged list. */
export async function allItems<P, T>(
  pages: AsyncIterable<P>,
  items: (page: P) => T[] | undefined,
): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

/** The first item of a paged list that `matches`, reading no more pages than needed; `undefined` if none. */
export async function firstItem<P, T>(
  pages: AsyncIterable<P>,
  items: (page: P) => T[] | undefined,
  matches: (item: T) => boolean = () => true,
): Promise<T | undefined> {
  for await (const page of pages) {
    const found = (items(page) ?? []).find(matches);
    if (found !== undefined) return found;
  }
  return undefined;
}
