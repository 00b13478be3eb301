import { UnexpectedIdentityCenterResponseError } from "./unexpected-response-error.ts";

export interface FetchedPage<T> {
  items: T[];
  nextToken?: string | undefined;
}

/**
 * Follows NextToken to the end of a list. A token that comes back twice would loop forever: that
 * is an unexpected response, not a reason to hang.
 */
export async function collectPages<T>(
  operation: string,
  fetchPage: (nextToken: string | undefined) => Promise<FetchedPage<T>>,
): Promise<T[]> {
  const all: T[] = [];
  const followed = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    all.push(...page.items);
    token = page.nextToken;
    if (token !== undefined) {
      if (followed.has(token)) {
        throw new UnexpectedIdentityCenterResponseError(
          operation,
          "NextToken",
          "repeats a token already followed",
        );
      }
      followed.add(token);
    }
  } while (token !== undefined);
  return all;
}
