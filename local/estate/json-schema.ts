import { z } from "zod";
import { EstateFile } from "./schema.ts";

/**
 * The JSON Schema (draft 2020-12) of the estate file, generated from the zod schema. It describes
 * what a person writes (`io: "input"`): keys with defaults are optional. References between values
 * (a membership's group must exist...) are beyond JSON Schema; `parseEstate` checks them.
 */
export function estateJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(EstateFile, { io: "input", target: "draft-2020-12" }) as Record<string, unknown>;
}

/** The schema as committed in docs/estate.schema.json: 2-space JSON with a final newline. */
export function estateJsonSchemaText(): string {
  return `${JSON.stringify(estateJsonSchema(), null, 2)}\n`;
}
