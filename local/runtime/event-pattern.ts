/**
 * EventBridge event patterns on the laptop: the matching rules of the EventBridge User Guide ("Creating
 * event patterns", "Content filtering"), for the operators the deployed rules use. A pattern is compiled
 * once, so a malformed pattern or an operator this emulator does not implement fails when the rule is
 * created, never by quietly matching nothing.
 *
 * Semantics, as EventBridge applies them:
 * - a field whose pattern is an object is a nested pattern: every field of it must match;
 * - a field whose pattern is an array matches when any of its matchers matches the event's value;
 * - an array in the event matches when any of its elements matches (`["a"]` matches `["b", "a"]`), and an
 *   object nested in an event array matches when one element matches the whole nested pattern;
 * - only leaves (strings, numbers, booleans, null) are values: a field that holds an object, or nothing,
 *   or an empty array has no value, so only `{"exists": false}` matches it;
 * - exact values compare type and value (`"300"` does not match `300`), case-sensitively;
 * - `prefix` and `wildcard` match strings only; `anything-but` needs the field to be present.
 *
 * Implemented operators: exact values, `prefix`, `exists`, `anything-but` (a value, a list of values,
 * `{"prefix"}`, `{"wildcard"}`), `wildcard`. Anything else (`suffix`, `equals-ignore-case`, `numeric`,
 * `cidr`, `$or`, ...) is rejected with {@link UnsupportedEventPatternError}. One local liberty: an empty
 * top-level pattern (`{}`) matches every event (the benchmarks use it); EventBridge would refuse it.
 */

/** An event pattern as a rule's `EventPattern` holds it, parsed. */
export type EventPattern = Record<string, unknown>;

/** Thrown when a pattern is not a valid EventBridge pattern; carries the path of the offending part. */
export class InvalidEventPatternError extends Error {
  override name = "InvalidEventPatternError";
  readonly path: string;
  constructor(path: string, message: string) {
    super(`invalid event pattern at ${path}: ${message}`);
    this.path = path;
  }
}

/** Thrown for a valid EventBridge operator this emulator does not implement (rather than never matching). */
export class UnsupportedEventPatternError extends Error {
  override name = "UnsupportedEventPatternError";
  readonly path: string;
  readonly operator: string;
  constructor(path: string, operator: string) {
    super(
      `the event pattern at ${path} uses ${operator}, which the local event bus does not implement (it implements exact values, prefix, exists, anything-but with a value, a list, prefix or wildcard, and wildcard)`,
    );
    this.path = path;
    this.operator = operator;
  }
}

type Scalar = string | number | boolean | null;

/** One entry of a leaf's matcher list. */
type LeafMatcher = { kind: "exists"; exists: boolean } | { kind: "value"; test: (value: Scalar) => boolean };

type CompiledField =
  | { kind: "object"; fields: [string, CompiledField][] }
  | { kind: "leaf"; matchers: LeafMatcher[] };

/** Operators EventBridge has that this emulator does not implement. */
const UNSUPPORTED = new Set(["suffix", "equals-ignore-case", "numeric", "cidr"]);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isScalar = (value: unknown): value is Scalar =>
  value === null || ["string", "number", "boolean"].includes(typeof value);

/**
 * A wildcard value as a regular expression: `*` matches any run of characters, `\*` is a literal star
 * and `\\` a literal backslash. EventBridge refuses two consecutive wildcards.
 */
export function wildcardRegExp(wildcard: string, path = "wildcard"): RegExp {
  let source = "";
  let previousWasStar = false;
  for (let i = 0; i < wildcard.length; i++) {
    const char = wildcard.charAt(i);
    if (char === "*") {
      if (previousWasStar) throw new InvalidEventPatternError(path, "consecutive wildcard characters");
      source += ".*";
      previousWasStar = true;
      continue;
    }
    previousWasStar = false;
    let literal = char;
    if (char === "\\") {
      const next = wildcard.charAt(i + 1);
      if (next !== "*" && next !== "\\")
        throw new InvalidEventPatternError(path, "a backslash may only escape '*' or '\\'");
      literal = next;
      i++;
    }
    source += literal.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s");
}

function requireString(value: unknown, path: string, what: string): string {
  if (typeof value !== "string") throw new InvalidEventPatternError(path, `${what} takes a string`);
  return value;
}

/** The single `{operator: argument}` of a matcher object. */
function operatorOf(matcher: Record<string, unknown>, path: string): [string, unknown] {
  const entries = Object.entries(matcher);
  const [entry] = entries;
  if (entries.length !== 1 || entry === undefined)
    throw new InvalidEventPatternError(path, "a matcher object holds exactly one operator");
  return entry;
}

function compileWildcards(argument: unknown, path: string): RegExp[] {
  const list = Array.isArray(argument) ? argument : [argument];
  if (list.length === 0) throw new InvalidEventPatternError(path, "wildcard needs at least one value");
  return list.map((w) => wildcardRegExp(requireString(w, path, "wildcard"), path));
}

function compileAnythingBut(argument: unknown, path: string): (value: Scalar) => boolean {
  if (typeof argument === "string" || typeof argument === "number") return (value) => value !== argument;
  if (Array.isArray(argument)) {
    const allStrings = argument.every((v) => typeof v === "string");
    const allNumbers = argument.every((v) => typeof v === "number");
    if (argument.length === 0 || !(allStrings || allNumbers))
      throw new InvalidEventPatternError(
        path,
        "anything-but takes a non-empty list of only strings or only numbers",
      );
    const excluded: unknown[] = argument;
    return (value) => !excluded.includes(value);
  }
  if (!isPlainObject(argument))
    throw new InvalidEventPatternError(
      path,
      "anything-but takes a string, a number, a list or an operator object",
    );
  const [operator, inner] = operatorOf(argument, path);
  if (operator === "prefix") {
    const prefix = requireString(inner, path, "anything-but prefix");
    return (value) => typeof value === "string" && !value.startsWith(prefix);
  }
  if (operator === "wildcard") {
    const expressions = compileWildcards(inner, path);
    return (value) => typeof value === "string" && !expressions.some((e) => e.test(value));
  }
  if (UNSUPPORTED.has(operator)) throw new UnsupportedEventPatternError(path, `anything-but ${operator}`);
  throw new InvalidEventPatternError(path, `anything-but does not take ${operator}`);
}

function compileMatcher(matcher: unknown, path: string): LeafMatcher {
  if (isScalar(matcher)) return { kind: "value", test: (value) => value === matcher };
  if (!isPlainObject(matcher))
    throw new InvalidEventPatternError(
      path,
      "a matcher is a string, number, boolean, null or operator object",
    );
  const [operator, argument] = operatorOf(matcher, path);
  switch (operator) {
    case "prefix": {
      if (isPlainObject(argument))
        throw new UnsupportedEventPatternError(path, "prefix with equals-ignore-case");
      const prefix = requireString(argument, path, "prefix");
      return { kind: "value", test: (value) => typeof value === "string" && value.startsWith(prefix) };
    }
    case "exists":
      if (typeof argument !== "boolean")
        throw new InvalidEventPatternError(path, "exists takes true or false");
      return { kind: "exists", exists: argument };
    case "anything-but":
      return { kind: "value", test: compileAnythingBut(argument, path) };
    case "wildcard": {
      const [expression] = compileWildcards(requireString(argument, path, "wildcard"), path);
      return {
        kind: "value",
        test: (value) => typeof value === "string" && expression?.test(value) === true,
      };
    }
    default:
      if (UNSUPPORTED.has(operator)) throw new UnsupportedEventPatternError(path, operator);
      throw new InvalidEventPatternError(path, `unknown operator ${operator}`);
  }
}

function compileFields(pattern: Record<string, unknown>, path: string): [string, CompiledField][] {
  return Object.entries(pattern).map(([key, value]): [string, CompiledField] => {
    const at = path === "" ? key : `${path}.${key}`;
    if (key === "$or") throw new UnsupportedEventPatternError(at, "$or");
    if (Array.isArray(value)) {
      if (value.length === 0) throw new InvalidEventPatternError(at, "an empty list matches nothing");
      return [key, { kind: "leaf", matchers: value.map((m) => compileMatcher(m, at)) }];
    }
    if (isPlainObject(value)) {
      if (Object.keys(value).length === 0) throw new InvalidEventPatternError(at, "an empty object");
      return [key, { kind: "object", fields: compileFields(value, at) }];
    }
    throw new InvalidEventPatternError(at, "a field's pattern is a list of matchers or a nested pattern");
  });
}

/** The leaf values at a field: arrays (nested ones too) contribute their scalar elements. */
function leafValues(value: unknown): Scalar[] {
  if (Array.isArray(value)) return value.flatMap(leafValues);
  return isScalar(value) ? [value] : [];
}

function matchesLeaf(matchers: LeafMatcher[], value: unknown): boolean {
  const values = leafValues(value);
  return matchers.some((m) =>
    m.kind === "exists" ? m.exists === values.length > 0 : values.some((v) => m.test(v)),
  );
}

function matchesFields(fields: [string, CompiledField][], container: unknown): boolean {
  const object = isPlainObject(container) ? container : {};
  return fields.every(([key, field]) => {
    const value = Object.hasOwn(object, key) ? object[key] : undefined;
    if (field.kind === "leaf") return matchesLeaf(field.matchers, value);
    // An object nested in an event array matches when one element matches the whole nested pattern.
    if (Array.isArray(value)) {
      const elements = value.filter(isPlainObject);
      return elements.length === 0
        ? matchesFields(field.fields, {})
        : elements.some((e) => matchesFields(field.fields, e));
    }
    return matchesFields(field.fields, value);
  });
}

/**
 * Compiles an event pattern into a predicate over events. Throws {@link InvalidEventPatternError} for a
 * malformed pattern and {@link UnsupportedEventPatternError} for an operator not implemented here.
 */
export function compileEventPattern(pattern: EventPattern): (event: unknown) => boolean {
  if (!isPlainObject(pattern)) throw new InvalidEventPatternError("(pattern)", "a pattern is a JSON object");
  const fields = compileFields(pattern, "");
  return (event) => matchesFields(fields, event);
}
