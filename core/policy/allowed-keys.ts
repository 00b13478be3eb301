import { z } from "zod";
import type { PolicyPath } from "./policy-error.ts";

/**
 * The keys the object schema at `path` accepts, sorted; for a union (the group reference), the keys
 * of all its object forms. `path` is one that zod reported, so it always exists in the schema.
 */
export function allowedKeys(schema: z.ZodType, path: PolicyPath): string[] {
  let current = unwrap(schema);
  for (const segment of path) current = unwrap(childOf(current, segment));
  const forms = current instanceof z.ZodUnion ? (current.options as z.ZodType[]) : [current];
  const keys = forms.flatMap((form) => (form instanceof z.ZodObject ? Object.keys(form.shape) : []));
  return [...new Set(keys)].sort();
}

function childOf(schema: z.ZodType, segment: string | number): z.ZodType {
  if (schema instanceof z.ZodArray) return schema.element as z.ZodType;
  if (schema instanceof z.ZodRecord) return schema.valueType as z.ZodType;
  return (schema as z.ZodObject).shape[segment] as z.ZodType;
}

/** Looks through `.default()` and `.optional()` to the schema they wrap. */
function unwrap(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodDefault || schema instanceof z.ZodOptional
    ? unwrap(schema.unwrap() as z.ZodType)
    : schema;
}
