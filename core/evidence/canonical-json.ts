import { formatPath } from "../field-error.ts";

/*
 * Canonical JSON: one exact text per value, so a hash of it is a hash of the value.
 *
 * These are RFC 8785 (JSON Canonicalization Scheme, JCS) semantics for the data evidence holds:
 * - object properties sorted by the UTF-16 code units of their names, recursively; array order kept;
 * - no whitespace between tokens;
 * - numbers as ECMAScript prints them (what `JSON.stringify` does: shortest round-trip form, `-0` as
 *   `0`, exponents as `1e+30`); strings escaped as `JSON.stringify` escapes them;
 * - input limited to I-JSON (RFC 7493): finite IEEE 754 numbers, strings that are valid Unicode.
 *
 * Deviations, all on JavaScript values JCS does not talk about (JCS starts from parsed JSON):
 * - an object property whose value is `undefined` is omitted (as `JSON.stringify` omits it), so an
 *   optional field left unset hashes like an absent one;
 * - what JSON cannot hold is rejected with a `CanonicalJsonError` instead of being coerced the way
 *   `JSON.stringify` coerces it: `undefined` in an array or as the value itself (not `null`), `NaN` and
 *   `±Infinity` (not `null`), a `Date` or any other non-plain object (no `toJSON`), bigint, functions,
 *   symbols, and circular references;
 * - JCS also rejects a lone surrogate in a string (not valid Unicode); so do we, with a path, where
 *   `JSON.stringify` would escape it as `\udXXX`;
 * - JCS says nothing about symbol-keyed properties; they are ignored, as `JSON.stringify` ignores them.
 * Duplicate property names, which JCS rejects in parsed text, cannot exist in a JavaScript object.
 */

/** A value canonical JSON can represent. `undefined` is allowed only as an (omitted) property value. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue | undefined };

/** Why a value has no canonical JSON form. */
export type CanonicalJsonProblem =
  | "non-finite-number"
  | "undefined"
  | "lone-surrogate"
  | "unsupported-type"
  | "circular-reference";

/** Thrown by `canonicalize` for a value that has no canonical JSON form; `path` says where it is. */
export class CanonicalJsonError extends Error {
  override name = "CanonicalJsonError";
  /** Where the offending value is, such as `body.actions[2].attempts`; `(root)` for the value itself. */
  readonly path: string;
  readonly problem: CanonicalJsonProblem;
  constructor(problem: CanonicalJsonProblem, path: string, detail: string) {
    super(`cannot canonicalize ${path}: ${detail}`);
    this.problem = problem;
    this.path = path;
  }
}

/** The outcome of `tryCanonicalize`: the canonical text, or why there is none. */
export type CanonicalJsonResult = { ok: true; json: string } | { ok: false; error: CanonicalJsonError };

/**
 * The canonical JSON text of `value` (see the file comment for the rules).
 * @throws CanonicalJsonError when `value` holds something JSON cannot represent.
 */
export function canonicalize(value: unknown): string {
  const result = tryCanonicalize(value);
  if (!result.ok) throw result.error;
  return result.json;
}

/**
 * `canonicalize` of a value found at `path` inside a larger one (a record's member serialized on its
 * own): an error names the whole path.
 * @throws CanonicalJsonError when `value` holds something JSON cannot represent.
 */
export function canonicalizeAt(value: unknown, path: readonly (string | number)[]): string {
  const out = serialize(value, [...path], new Set());
  if (typeof out !== "string") throw out;
  return out;
}

/** Like `canonicalize`, but returns the error instead of throwing it (for verifiers reading untrusted data). */
export function tryCanonicalize(value: unknown): CanonicalJsonResult {
  const out = serialize(value, [], new Set());
  return typeof out === "string" ? { ok: true, json: out } : { ok: false, error: out };
}

/** Returns the text, or the error for the first unrepresentable value in document order (sorted keys). */
function serialize(
  value: unknown,
  path: (string | number)[],
  ancestors: Set<object>,
): string | CanonicalJsonError {
  const fail = (problem: CanonicalJsonProblem, detail: string) =>
    new CanonicalJsonError(problem, formatPath(path), detail);

  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      return Number.isFinite(value)
        ? JSON.stringify(value)
        : fail("non-finite-number", `${value} is not a finite number`);
    case "string":
      return value.isWellFormed()
        ? JSON.stringify(value)
        : fail("lone-surrogate", "the string is not valid Unicode (lone surrogate)");
    case "undefined":
      return fail(
        "undefined",
        "undefined has no JSON form (only an object property may be undefined: it is omitted)",
      );
    case "object":
      break;
    default:
      return fail("unsupported-type", `a ${typeof value} has no JSON form`);
  }

  if (ancestors.has(value)) return fail("circular-reference", "the value contains itself");
  const isArray = Array.isArray(value);
  const prototype: unknown = Object.getPrototypeOf(value);
  if (!isArray && prototype !== Object.prototype && prototype !== null) {
    return fail("unsupported-type", `${Object.prototype.toString.call(value)} is not a plain object`);
  }

  ancestors.add(value);
  const parts: string[] = [];
  if (isArray) {
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      const part = serialize(value[index], path, ancestors);
      path.pop();
      if (typeof part !== "string") return part;
      parts.push(part);
    }
  } else {
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units: exactly JCS's property order.
    for (const key of Object.keys(record).sort()) {
      const member = record[key];
      if (member === undefined) continue;
      path.push(key);
      const part = key.isWellFormed()
        ? serialize(member, path, ancestors)
        : fail("lone-surrogate", "the property name is not valid Unicode (lone surrogate)");
      path.pop();
      if (typeof part !== "string") return part;
      parts.push(`${JSON.stringify(key)}:${part}`);
    }
  }
  ancestors.delete(value);
  return isArray ? `[${parts.join(",")}]` : `{${parts.join(",")}}`;
}
