/**
 * Regenerates docs/estate.schema.json from the zod schema:
 *   node local/estate/write-json-schema.ts
 * A test fails when the committed file differs from what this writes.
 */
import { estateJsonSchemaText } from "./json-schema.ts";
import { writeFormattedJson } from "./write-formatted-json.ts";

writeFormattedJson(new URL("../../docs/estate.schema.json", import.meta.url), estateJsonSchemaText());
