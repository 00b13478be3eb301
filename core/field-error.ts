import type { z } from "zod";

/** One problem in an input, located by a path such as `data.events[2].published`. */
export interface FieldError {
  /** Where the problem is: dotted keys and `[index]`, `(root)` for the input as a whole. */
  path: string;
  /** What is wrong, in words a person fixing the payload can act on. */
  message: string;
}

/** At least one error: a failed parse always has a first problem to show. */
export type FieldErrors = [FieldError, ...FieldError[]];

/** The outcome of validating untrusted input: the typed value, or the problems found. */
export type Parsed<T> = { success: true; data: T } | { success: false; errors: FieldErrors };

/** The path shown for a problem with the input as a whole. */
export const ROOT_PATH = "(root)";

const identifier = /^[A-Za-z_$][\w$]*$/;
const dashedIdentifier = /^[A-Za-z_$][\w$-]*$/;

/**
 * Formats path segments as `data.events[2].published` (`["detail-type"]` for keys that need quoting).
 * With `dashedKeys` (file formats people write: policy YAML, estate JSON), `tags.cost-center` stays unquoted.
 */
export function formatPath(segments: readonly PropertyKey[], options: { dashedKeys?: boolean } = {}): string {
  const plain = options.dashedKeys ? dashedIdentifier : identifier;
  let path = "";
  for (const segment of segments) {
    if (typeof segment === "number") path += `[${segment}]`;
    else if (plain.test(String(segment))) path += path === "" ? String(segment) : `.${String(segment)}`;
    else path += `[${JSON.stringify(String(segment))}]`;
  }
  return path === "" ? ROOT_PATH : path;
}

/** Appends `path` to `base` (`data.events[0]` + `target[type=User]` -> `data.events[0].target[type=User]`). */
export function joinPath(base: string, path: string): string {
  if (base === "") return path;
  if (path === ROOT_PATH) return base;
  return path.startsWith("[") ? `${base}${path}` : `${base}.${path}`;
}

/** Converts a zod error into field errors whose paths start at `base` (empty for the input root). */
export function toFieldErrors(error: z.ZodError, base = ""): FieldErrors {
  const errors = error.issues.map((issue) => ({
    path: joinPath(base, formatPath(issue.path)),
    message: issue.message,
  }));
  // zod never reports a failed parse without at least one issue.
  return errors as FieldErrors;
}

/**
 * A zod `error` option that says "required" when the field is missing and `expected <what>` otherwise,
 * so messages read the same whatever the zod version's defaults are.
 */
export function expecting(what: string): (issue: { input?: unknown }) => string {
  return (issue) => (issue.input === undefined ? "required" : `expected ${what}`);
}

const MAX_SHOWN = 60;

/** A value as an error message shows it: quoted, clipped to 60 characters, control characters escaped. */
export function quoteValue(value: unknown): string {
  const text = String(value);
  const clipped = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 3)}...` : text;
  return `'${JSON.stringify(clipped).slice(1, -1)}'`;
}
