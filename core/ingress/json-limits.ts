/** Structural limits on an untrusted JSON text, checked before it is parsed. */
export interface JsonLimits {
  /** Deepest nesting of objects and arrays. @default 32 */
  maxDepth: number;
  /** Most elements in any one array (at least 1). @default 1000 */
  maxArrayLength: number;
}

/**
 * Generous for Okta (a hook body nests about 8 levels; Okta batches far fewer than 1,000 events)
 * and small enough that a hostile body cannot make parsing or validation expensive.
 */
export const DEFAULT_JSON_LIMITS: Readonly<JsonLimits> = Object.freeze({
  maxDepth: 32,
  maxArrayLength: 1000,
});

/** The first limit a JSON text exceeds, named as it is configured, with a sentence for a 400 body. */
export interface JsonLimitViolation {
  limit: keyof JsonLimits;
  max: number;
  message: string;
}

/**
 * Scans `text` once, without parsing it, and returns the first limit it exceeds (or `null`). String
 * contents (escapes included) are skipped and the scan stops at the first violation, so its cost is
 * linear in the text whatever its shape. Invalid JSON is not diagnosed here: `JSON.parse` does that
 * afterwards, on a text now known to be shallow and short-armed.
 */
export function checkJsonLimits(
  text: string,
  limits: JsonLimits = DEFAULT_JSON_LIMITS,
): JsonLimitViolation | null {
  // One entry per open container: the commas seen so far in an array, -1 for an object.
  const open: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === "[" || char === "{") {
      if (open.length >= limits.maxDepth) {
        const max = limits.maxDepth;
        return { limit: "maxDepth", max, message: `JSON nests deeper than ${max} levels (maxDepth ${max})` };
      }
      open.push(char === "[" ? 0 : -1);
    } else if (char === "]" || char === "}") {
      open.pop();
    } else if (char === ",") {
      const top = open.length - 1;
      const seen = open[top];
      if (seen === undefined || seen < 0) continue; // outside any array
      open[top] = seen + 1;
      // n commas separate n + 1 elements.
      if (seen + 1 >= limits.maxArrayLength) {
        const max = limits.maxArrayLength;
        return {
          limit: "maxArrayLength",
          max,
          message: `a JSON array has more than ${max} elements (maxArrayLength ${max})`,
        };
      }
    }
  }
  return null;
}
