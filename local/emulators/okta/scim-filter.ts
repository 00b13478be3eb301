/**
 * The SCIM filter expressions Okta accepts in `filter=` (Core Okta API, "Filter"; RFC 7644 3.4.2.2):
 * `attribute op "value"` comparisons joined with `and` / `or` (and binds tighter) and grouped with
 * parentheses. Attribute names are case-sensitive, operators and keywords are not. A dotted attribute
 * that crosses an array (`target.id`) matches when any element matches.
 */

const OPERATORS = ["eq", "ne", "co", "sw", "ew", "pr", "gt", "ge", "lt", "le"] as const;
/** A SCIM comparison operator. */
export type Operator = (typeof OPERATORS)[number];
type Literal = string | number | boolean | null;

/** A parsed filter: a predicate over a JSON object. */
export type FilterNode =
  | { kind: "and" | "or"; left: FilterNode; right: FilterNode }
  | { kind: "compare"; path: string[]; op: Operator; value: Literal };

/** A filter that cannot be parsed; `message` follows Okta's wording (operator and position). */
export class FilterSyntaxError extends Error {
  override name = "FilterSyntaxError";
}

type Token =
  | { type: "(" | ")"; at: number }
  | { type: "word"; text: string; at: number }
  | { type: "literal"; value: Literal; at: number };

/** Parses a filter expression; throws `FilterSyntaxError`. */
export function parseFilter(filter: string): FilterNode {
  const tokens = tokenize(filter);
  let index = 0;
  const peek = (): Token | undefined => tokens[index];
  const isKeyword = (token: Token | undefined, word: string) =>
    token?.type === "word" && token.text.toLowerCase() === word;

  const parseOr = (): FilterNode => {
    let left = parseAnd();
    while (isKeyword(peek(), "or")) {
      index += 1;
      left = { kind: "or", left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): FilterNode => {
    let left = parsePrimary();
    while (isKeyword(peek(), "and")) {
      index += 1;
      left = { kind: "and", left, right: parsePrimary() };
    }
    return left;
  };
  const parsePrimary = (): FilterNode => {
    const token = peek();
    if (token === undefined) throw new FilterSyntaxError("Unexpected end of expression");
    if (token.type === "(") {
      index += 1;
      const inner = parseOr();
      const close = peek();
      if (close?.type !== ")")
        throw new FilterSyntaxError(`Expected ')' at position ${close?.at ?? filter.length}`);
      index += 1;
      return inner;
    }
    if (token.type !== "word" || !/^[A-Za-z_][\w.]*$/.test(token.text)) {
      throw new FilterSyntaxError(`Expected an attribute name at position ${token.at}`);
    }
    index += 1;
    const opToken = peek();
    const op = opToken?.type === "word" ? opToken.text.toLowerCase() : "";
    if (opToken === undefined || !(OPERATORS as readonly string[]).includes(op)) {
      throw new FilterSyntaxError(
        `Unrecognized attribute operator '${opToken?.type === "word" ? opToken.text : ""}' at position ${opToken?.at ?? filter.length}. Expected: ${OPERATORS.join(",")}`,
      );
    }
    index += 1;
    const path = token.text.split(".");
    if (op === "pr") return { kind: "compare", path, op, value: null };
    const value = peek();
    if (value?.type !== "literal") {
      throw new FilterSyntaxError(`Expected a value after '${op}' at position ${value?.at ?? filter.length}`);
    }
    index += 1;
    return { kind: "compare", path, op: op as Operator, value: value.value };
  };

  const node = parseOr();
  const rest = peek();
  if (rest !== undefined) throw new FilterSyntaxError(`Unexpected token at position ${rest.at}`);
  return node;
}

/** How string values compare: `filter=` is case-sensitive, `search=` is not (Users API, List all users). */
export interface MatchOptions {
  /** @default false */
  caseInsensitive?: boolean;
}

/** Whether `subject` (a LogEvent, a user...) satisfies the filter. */
export function matchesFilter(node: FilterNode, subject: unknown, options: MatchOptions = {}): boolean {
  switch (node.kind) {
    case "and":
      return matchesFilter(node.left, subject, options) && matchesFilter(node.right, subject, options);
    case "or":
      return matchesFilter(node.left, subject, options) || matchesFilter(node.right, subject, options);
    case "compare": {
      const fold = (value: unknown) =>
        options.caseInsensitive === true && typeof value === "string" ? value.toLowerCase() : value;
      const expected = fold(node.value) as Literal;
      const values = resolve(subject, node.path).map(fold);
      if (node.op === "pr") return values.some((value) => value !== null && value !== undefined);
      if (node.op === "ne") return !values.some((value) => compare(value, "eq", expected));
      return values.some((value) => compare(value, node.op, expected));
    }
  }
}

/**
 * Which attributes and operators one list operation accepts: `attributes` maps an attribute path to its
 * operators; `prefixes` maps a path prefix (`profile.`) to the operators of every attribute under it.
 */
export interface FilterRules {
  attributes: Readonly<Record<string, readonly Operator[]>>;
  prefixes?: Readonly<Record<string, readonly Operator[]>>;
}

/** The first comparison the rules do not allow, as `attribute op`; `null` when every one is allowed. */
export function disallowedClause(node: FilterNode, rules: FilterRules): string | null {
  if (node.kind !== "compare")
    return disallowedClause(node.left, rules) ?? disallowedClause(node.right, rules);
  const attribute = node.path.join(".");
  const prefix = Object.keys(rules.prefixes ?? {}).find((p) => attribute.startsWith(p));
  const allowed =
    (Object.hasOwn(rules.attributes, attribute) ? rules.attributes[attribute] : undefined) ??
    (prefix === undefined ? undefined : rules.prefixes?.[prefix]);
  return allowed?.includes(node.op) === true ? null : `${attribute} ${node.op}`;
}

function compare(actual: unknown, op: Operator, expected: Literal): boolean {
  if (op === "eq") return actual === expected;
  if (typeof actual !== "string" || typeof expected !== "string") {
    if (typeof actual === "number" && typeof expected === "number") return ordered(actual, op, expected);
    return false;
  }
  switch (op) {
    case "co":
      return actual.includes(expected);
    case "sw":
      return actual.startsWith(expected);
    case "ew":
      return actual.endsWith(expected);
    default:
      return ordered(actual, op, expected);
  }
}

function ordered<T extends string | number>(actual: T, op: Operator, expected: T): boolean {
  if (op === "gt") return actual > expected;
  if (op === "ge") return actual >= expected;
  if (op === "lt") return actual < expected;
  if (op === "le") return actual <= expected;
  return false;
}

/** Every value at `path`, descending into arrays element by element. */
function resolve(subject: unknown, path: readonly string[]): unknown[] {
  let current: unknown[] = [subject];
  for (const key of path) {
    const next: unknown[] = [];
    for (const value of current) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (typeof item === "object" && item !== null && Object.hasOwn(item, key)) {
          next.push((item as Record<string, unknown>)[key]);
        }
      }
    }
    current = next.flatMap((value) => (Array.isArray(value) ? value : [value]));
  }
  return current;
}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < filter.length) {
    const char = filter.charAt(at);
    if (/\s/.test(char)) {
      at += 1;
    } else if (char === "(" || char === ")") {
      tokens.push({ type: char, at });
      at += 1;
    } else if (char === '"') {
      const end = closingQuote(filter, at);
      tokens.push({ type: "literal", value: stringLiteral(filter.slice(at, end + 1), at), at });
      at = end + 1;
    } else {
      const match = /^[^\s()"]+/.exec(filter.slice(at));
      const text = match?.[0] ?? char;
      tokens.push(wordOrLiteral(text, at));
      at += text.length;
    }
  }
  return tokens;
}

function closingQuote(filter: string, open: number): number {
  for (let i = open + 1; i < filter.length; i += 1) {
    if (filter.charAt(i) === "\\") i += 1;
    else if (filter.charAt(i) === '"') return i;
  }
  throw new FilterSyntaxError(`Unterminated string starting at position ${open}`);
}

function stringLiteral(quoted: string, at: number): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    throw new FilterSyntaxError(`Invalid string literal at position ${at}`);
  }
}

function wordOrLiteral(text: string, at: number): Token {
  if (/^-?\d+(\.\d+)?$/.test(text)) return { type: "literal", value: Number(text), at };
  const lower = text.toLowerCase();
  if (lower === "true" || lower === "false") return { type: "literal", value: lower === "true", at };
  if (lower === "null") return { type: "literal", value: null, at };
  return { type: "word", text, at };
}
