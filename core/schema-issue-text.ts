import { quoteValue } from "./field-error.ts";
import { closestName } from "./policy/closest-name.ts";

/** How a file format names its containers: YAML says list / mapping / nothing, JSON array / object / null. */
export interface ContainerWords {
  nothing: string;
  list: string;
  /** The container's name with its article, e.g. `a mapping`, `an object`. */
  map: string;
  emptyMap: string;
}

export const YAML_WORDS: ContainerWords = {
  nothing: "nothing",
  list: "a list",
  map: "a mapping",
  emptyMap: "an empty mapping",
};
export const JSON_WORDS: ContainerWords = {
  nothing: "null",
  list: "an array",
  map: "an object",
  emptyMap: "an empty object",
};

/** What was found instead of the expected value, in the words of the file's format. */
export function describeFound(value: unknown, words: ContainerWords): string {
  if (value === null) return words.nothing;
  if (Array.isArray(value)) return words.list;
  if (typeof value === "object") {
    const keys = Object.keys(value);
    return keys.length === 0 ? words.emptyMap : `${words.map} with keys ${quoteValue(keys.join(", "))}`;
  }
  if (typeof value === "string") return quoteValue(value);
  return `the ${typeof value} ${String(value)}`;
}

/** A misspelt or unknown key: the message, and the fix with the closest allowed key when there is one. */
export function unknownKeyText(key: string, allowed: readonly string[]): { message: string; fix: string } {
  const guess = closestName(key, allowed);
  const listed = `keys allowed here: ${allowed.join(", ")}`;
  return {
    message: `unknown key ${quoteValue(key)}`,
    fix: guess === undefined ? `remove it; ${listed}` : `did you mean '${guess}'? ${listed}`,
  };
}

/** The path from its last key on (`sessionTagAttributes[0]`, `accounts[3]`): enough to name a value. */
export function lastKeyPath<P extends readonly (string | number)[]>(path: P): P {
  return path.slice(
    Math.max(
      0,
      path.findLastIndex((s) => typeof s === "string"),
    ),
  ) as unknown as P;
}
