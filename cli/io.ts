import { readFile } from "node:fs/promises";
import { text } from "node:stream/consumers";

/** Reads a file argument, or standard input when the argument is `-`. */
export async function readInput(fileOrDash: string): Promise<string> {
  return fileOrDash === "-" ? text(process.stdin) : readFile(fileOrDash, "utf8");
}
