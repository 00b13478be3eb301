import { validationFailed } from "./errors.ts";
import { linkValue } from "./http.ts";

/** Page-size rules of one list endpoint. */
export interface PageRules {
  /** The page size when `limit` is absent. */
  defaultLimit: number;
  /** Larger values are capped to this (Okta caps rather than rejects on the object lists). */
  maxLimit: number;
}

/** Reads `limit` from the query: a non-negative integer, capped; anything else is 400 E0000001. */
export function readLimit(url: URL, rules: PageRules): number {
  const raw = url.searchParams.get("limit");
  if (raw === null) return rules.defaultLimit;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 0)
    throw validationFailed("limit", ["limit: must be a positive integer"]);
  return Math.min(limit, rules.maxLimit);
}

/**
 * Cursor pagination over objects ordered by id, the way Okta pages users and groups: `after` is the id
 * of the last object of the previous page, so a page stays valid even if that object was deleted since.
 */
export function pageAfter<T extends { id: string }>(
  items: readonly T[],
  after: string | null,
  limit: number,
): { page: T[]; nextAfter: string | null } {
  const sorted = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rest = after === null ? sorted : sorted.filter((item) => item.id > after);
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return { page, nextAfter: rest.length > page.length && last !== undefined ? last.id : null };
}

/**
 * The `link` header lines of a list response: `rel="self"` is the request as made; `rel="next"` keeps
 * the other parameters and ends with `after=...&limit=...`, as Okta writes it
 * (`<https://{org}/api/v1/users?after=00ub...&limit=200>; rel="next"`).
 */
export function listLinks(
  baseUrl: string,
  url: URL,
  next: { after: string; limit: number } | null,
): string[] {
  const self = `${baseUrl}${url.pathname}${url.search}`;
  const links = [linkValue(self, "self")];
  if (next !== null) {
    const params = new URLSearchParams(url.search);
    params.delete("after");
    params.delete("limit");
    params.append("after", next.after);
    params.append("limit", String(next.limit));
    links.push(linkValue(`${baseUrl}${url.pathname}?${params.toString()}`, "next"));
  }
  return links;
}
