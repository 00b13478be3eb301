import { z } from "zod";

/**
 * Why a string with a lone surrogate is refused at ingress: it has no UTF-8 form, so it cannot be
 * canonicalized into evidence, URL-encoded into an API path (`encodeURIComponent` throws) or compared
 * reliably. Okta never sends one; a payload that carries one is forged or corrupted.
 */
export const NOT_WELL_FORMED = "expected well-formed Unicode text (it holds a lone surrogate)";

/** Whether `value` is a string that is well-formed Unicode (no lone surrogate). */
export function isWellFormedText(value: unknown): value is string {
  return typeof value === "string" && value.isWellFormed();
}

/** A string schema that also refuses text that is not well-formed Unicode, with {@link NOT_WELL_FORMED}. */
export function wellFormedString(params?: Parameters<typeof z.string>[0]) {
  return z.string(params).refine((value) => value.isWellFormed(), { error: NOT_WELL_FORMED });
}
