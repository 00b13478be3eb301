/**
 * IAM paging (IAM API Reference, "Using pagination"; e.g. ListUsers): `MaxItems` (1-1000, default 100)
 * bounds a page, `IsTruncated` says whether more follow and `Marker` is the opaque value to send back
 * for the next page. The marker here is the index of the next item, base64-encoded.
 */
import { validationError } from "./errors.ts";
import { type QueryFields, RULES } from "./fields.ts";

export const DEFAULT_MAX_ITEMS = 100;

export interface IamPage<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

export function paginate<T>(fields: QueryFields, all: readonly T[]): IamPage<T> {
  const maxItems = fields.optionalInteger("MaxItems", 1, 1000) ?? DEFAULT_MAX_ITEMS;
  const marker = fields.optionalString("Marker", RULES.marker);
  fields.done();
  const start = marker === undefined ? 0 : Number(Buffer.from(marker, "base64").toString("utf8"));
  if (!Number.isInteger(start) || start < 0 || start > all.length) throw validationError("Invalid Marker.");
  const end = start + maxItems;
  const items = all.slice(start, end);
  return end < all.length
    ? { items, IsTruncated: true, Marker: Buffer.from(String(end)).toString("base64") }
    : { items, IsTruncated: false };
}
