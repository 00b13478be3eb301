/**
 * Regenerates examples/demo-estate.json from demoEstate():
 *   node local/estate/write-demo-estate.ts
 * A test fails when the committed file differs from demoEstate().
 */
import { demoEstate } from "./demo-estate.ts";
import { writeFormattedJson } from "./write-formatted-json.ts";

writeFormattedJson(
  new URL("../../examples/demo-estate.json", import.meta.url),
  `${JSON.stringify(demoEstate(), null, 2)}\n`,
);
