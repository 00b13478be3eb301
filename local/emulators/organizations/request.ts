/**
 * Reads request members the way Organizations validates them: a missing required member or a value
 * outside its constraints answers InvalidInputException with the matching Reason.
 */
import { invalidInput } from "./errors.ts";

// biome-ignore lint/suspicious/noExplicitAny: the JSON body of a request
type Input = any;

/** A required string member; `allowEmpty` for members whose minimum length is 0 (e.g. Description). */
export function requiredString(input: Input, name: string, max = 2048, allowEmpty = false): string {
  const value = input?.[name];
  if (value === undefined || value === null || (value === "" && !allowEmpty)) {
    throw invalidInput("INPUT_REQUIRED", `You must specify a value for ${name}.`);
  }
  if (typeof value !== "string") throw invalidInput("INVALID_INPUT", `${name} must be a string.`);
  if ([...value].length > max)
    throw invalidInput("MAX_LENGTH_EXCEEDED", `${name} is longer than ${max} characters.`);
  return value;
}

export function optionalString(
  input: Input,
  name: string,
  max = 2048,
  allowEmpty = false,
): string | undefined {
  return input?.[name] === undefined ? undefined : requiredString(input, name, max, allowEmpty);
}

/** `MaxResults`: 1 to 20 in every Organizations list call. */
export function maxResults(input: Input): number | undefined {
  const value = input?.MaxResults;
  if (value === undefined) return undefined;
  if (!Number.isInteger(value)) throw invalidInput("INVALID_INPUT", "MaxResults must be an integer.");
  if (value < 1) throw invalidInput("MIN_VALUE_EXCEEDED", "MaxResults must be at least 1.");
  if (value > 20) throw invalidInput("MAX_VALUE_EXCEEDED", "MaxResults must be at most 20.");
  return value;
}

export interface TagInput {
  Key: string;
  Value: string;
}

/** A `Tags` list: keys of 1 to 128 characters, values of 0 to 256. */
export function tagList(input: Input, name = "Tags", required = false): TagInput[] {
  const value = input?.[name];
  if (value === undefined && !required) return [];
  if (!Array.isArray(value)) throw invalidInput("INPUT_REQUIRED", `You must specify a list for ${name}.`);
  return value.map((tag) => {
    const key = requiredString(tag, "Key", 128);
    const tagValue = tag?.Value ?? "";
    if (typeof tagValue !== "string" || tagValue.length > 256) {
      throw invalidInput("INVALID_INPUT", "A tag value must be a string of at most 256 characters.");
    }
    return { Key: key, Value: tagValue };
  });
}
