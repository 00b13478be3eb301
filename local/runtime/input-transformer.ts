/**
 * EventBridge input transformers on the laptop (EventBridge User Guide, "Amazon EventBridge input
 * transformation"): `InputPathsMap` names values of the event by JSON path, `InputTemplate` is the text
 * sent to the target with `<name>` placeholders filled in. What EventBridge documents, done here:
 * - paths use dot notation from `$` with keys of letters, digits, `-`, `_` and `/` (`$.detail-type`,
 *   `$.detail.requestParameters.accountId`) and array indices (`$.resources[0]`); bracket notation is
 *   refused, and wildcards (`*`) are rejected as not implemented;
 * - a path that does not exist in the event creates no variable, and "won't appear in the output": its
 *   placeholder is replaced by nothing (`"<missing>"` becomes `""`; an unquoted one usually leaves
 *   invalid JSON, which fails the delivery here);
 * - in a JSON template (one that starts with `{` or `[`), a string value placed outside quotes is quoted
 *   (`{"a": <s>}` gives `{"a": "value"}`), one inside a quoted string goes in as is; numbers, booleans,
 *   null, objects and arrays go in as JSON text. Other templates get every value as plain text;
 * - EventBridge does not escape extracted values: a value holding `"` breaks a JSON template. Here the
 *   output of a JSON template must parse, or the delivery fails with {@link InputTransformOutputError}.
 * A placeholder that names no variable (`<b>` in prose) stays as written. The reserved `aws.events.*`
 * variables are not implemented and are rejected when the transformer is compiled.
 */

/** A rule target's InputTransformer, as deployed. */
export interface InputTransformer {
  /** Variable name -> JSON path into the event. At most 100. */
  inputPathsMap: Record<string, string>;
  /** The text sent to the target, with `<variable>` placeholders. */
  inputTemplate: string;
}

/** Thrown when a transformer is not valid (or uses what this emulator does not implement). */
export class InvalidInputTransformerError extends Error {
  override name = "InvalidInputTransformerError";
}

/** Thrown when a JSON template's output is not JSON (a missing unquoted variable, an unescaped quote). */
export class InputTransformOutputError extends Error {
  override name = "InputTransformOutputError";
  readonly output: string;
  constructor(output: string, cause: unknown) {
    super(`the input transformer produced invalid JSON: ${output}`, { cause });
    this.output = output;
  }
}

/** EventBridge's limit on InputPathsMap entries. */
export const MAX_INPUT_PATHS = 100;

type PathStep = string | number;

const KEY = /^[A-Za-z0-9_\-/]+$/;

/** Parses `$.a.b[0].c-d` into steps; throws for what EventBridge refuses or this emulator lacks. */
export function parseJsonPath(path: string): PathStep[] {
  if (!path.startsWith("$")) throw new InvalidInputTransformerError(`JSON path ${path} must start with '$'`);
  if (path.includes("*"))
    throw new InvalidInputTransformerError(
      `JSON path ${path} uses a wildcard, which the local event bus does not implement`,
    );
  const steps: PathStep[] = [];
  const tokens = /\.([^.[\]]+)|\[(\d+)\]/gy;
  tokens.lastIndex = 1;
  while (tokens.lastIndex < path.length) {
    const at = tokens.lastIndex;
    const token = tokens.exec(path);
    if (token === null || (token[1] !== undefined && !KEY.test(token[1])))
      throw new InvalidInputTransformerError(
        `JSON path ${path} is not in dot notation at character ${at + 1} (keys of letters, digits, '-', '_', '/'; indices as [n])`,
      );
    steps.push(token[1] ?? Number(token[2]));
  }
  return steps;
}

/** The value at a path, or `{found: false}` when any step is missing. */
function resolve(event: unknown, steps: PathStep[]): { found: true; value: unknown } | { found: false } {
  let current: unknown = event;
  for (const step of steps) {
    if (typeof step === "number") {
      if (!Array.isArray(current) || step >= current.length) return { found: false };
      current = current[step];
    } else {
      if (typeof current !== "object" || current === null || Array.isArray(current)) return { found: false };
      if (!Object.hasOwn(current, step)) return { found: false };
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current === undefined ? { found: false } : { found: true, value: current };
}

/** Whether position `index` of a JSON text lies inside a string literal. */
function insideStrings(template: string): boolean[] {
  const inside: boolean[] = [];
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    inside.push(inString);
    const char = template.charAt(i);
    if (inString && char === "\\") {
      inside.push(true);
      i++;
    } else if (char === '"') {
      inString = !inString;
    }
  }
  return inside;
}

/**
 * Compiles a transformer into a function from an event to the text EventBridge sends the target.
 * Throws {@link InvalidInputTransformerError} at once for a bad path or a reserved variable.
 */
export function compileInputTransformer(transformer: InputTransformer): (event: unknown) => string {
  const entries = Object.entries(transformer.inputPathsMap);
  if (entries.length > MAX_INPUT_PATHS)
    throw new InvalidInputTransformerError(`InputPathsMap holds at most ${MAX_INPUT_PATHS} variables`);
  const paths = new Map<string, PathStep[]>();
  for (const [name, path] of entries) {
    if (name.toLowerCase().startsWith("aws."))
      throw new InvalidInputTransformerError(`variable ${name}: names starting with 'aws.' are reserved`);
    paths.set(name, parseJsonPath(path));
  }
  const template = transformer.inputTemplate;
  const reserved = /<(aws\.events\.[^<>]*)>/.exec(template);
  if (reserved)
    throw new InvalidInputTransformerError(
      `the reserved variable <${reserved[1]}> is not implemented by the local event bus`,
    );
  const jsonTemplate = /^\s*[{[]/.test(template);
  const inString = insideStrings(template);

  return (event) => {
    const output = template.replace(/<([^<>]+)>/g, (placeholder, name: string, offset: number) => {
      const steps = paths.get(name);
      if (steps === undefined) return placeholder;
      const resolved = resolve(event, steps);
      if (!resolved.found) return "";
      const { value } = resolved;
      if (typeof value !== "string") return JSON.stringify(value);
      // Not escaped, as EventBridge does not escape extracted values.
      return jsonTemplate && !inString[offset] ? `"${value}"` : value;
    });
    if (jsonTemplate) {
      try {
        JSON.parse(output);
      } catch (error) {
        throw new InputTransformOutputError(output, error);
      }
    }
    return output;
  };
}
