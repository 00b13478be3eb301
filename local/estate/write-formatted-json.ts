import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const BIOME = fileURLToPath(new URL("../../node_modules/@biomejs/biome/bin/biome", import.meta.url));

/**
 * Writes a generated JSON file and formats it with the project's Biome, so `npm run lint` stays
 * clean. The tests compare parsed JSON, so the formatting never makes them fail.
 */
export function writeFormattedJson(target: URL, text: string): void {
  const path = fileURLToPath(target);
  writeFileSync(path, text);
  execFileSync(process.execPath, [BIOME, "format", "--write", path], { stdio: "inherit" });
  console.log(`wrote ${path}`);
}
