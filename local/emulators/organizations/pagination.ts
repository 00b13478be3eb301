/**
 * MaxResults / NextToken pagination. A token is opaque to the caller but bound to the list it came
 * from: reusing it for another list (or forging one) answers InvalidInputException, Reason
 * INVALID_NEXT_TOKEN, as Organizations does.
 */
import { invalidInput } from "./errors.ts";
import { maxResults } from "./request.ts";

export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  nextToken?: string;
}

const encode = (scope: string, offset: number) =>
  Buffer.from(JSON.stringify({ s: scope, o: offset })).toString("base64url");

function decode(token: unknown, scope: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(String(token), "base64url").toString("utf8"));
    if (parsed?.s === scope && Number.isInteger(parsed?.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // Same answer as a well-formed token of another list.
  }
  throw invalidInput("INVALID_NEXT_TOKEN", "The NextToken value isn't valid for this list.");
}

/**
 * One page of `items`. `scope` names the list and its parameters (e.g. the parent of
 * ListAccountsForParent) so a token only continues the list it came from.
 */
// biome-ignore lint/suspicious/noExplicitAny: the JSON body of a request
export function paginate<T>(items: readonly T[], input: any, scope: string, pageSize: number): Page<T> {
  const offset = input?.NextToken === undefined ? 0 : decode(input.NextToken, scope);
  const end = offset + Math.min(maxResults(input) ?? pageSize, pageSize);
  const page: Page<T> = { items: items.slice(offset, end) };
  if (end < items.length) page.nextToken = encode(scope, end);
  return page;
}
