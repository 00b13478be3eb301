import { readFile, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { type EstateError, EstateInvalidError, EstateReadError } from "./estate-error.ts";
import { parseEstate } from "./parse-estate.ts";
import type { EstateFile } from "./schema.ts";

/** A loaded estate file, or the error that lists every problem found. */
export type LoadEstateResult =
  | {
      ok: true;
      estate: EstateFile;
      /** The estate file's absolute path. */
      file: string;
      /** The access policy's absolute path (resolved against the estate file's folder), when it names one. */
      policyPath?: string;
    }
  | { ok: false; error: EstateError };

/**
 * Reads and validates an estate file (`--estate FILE`). Beyond `parseEstate`'s checks, the access
 * policy it names must be an existing file; its contents are the policy loader's business. Never
 * throws: an unreadable file is an `EstateReadError`.
 */
export async function loadEstateFile(path: string): Promise<LoadEstateResult> {
  const file = resolve(path);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    const problem = {
      path: "(file)",
      message: `cannot read ${file} (${reason})`,
      fix: "check the path given to --estate: it is relative to the current directory",
    };
    return { ok: false, error: new EstateReadError(path, [problem], { cause: error }) };
  }
  const parsed = parseEstate(text, path);
  if (!parsed.ok) return parsed;
  const { estate } = parsed;
  if (estate.policy === undefined) return { ok: true, estate, file };

  const policyPath = resolve(dirname(file), estate.policy);
  if (!(await isFile(policyPath))) {
    const problem = {
      path: "policy",
      message: `the access policy ${policyPath} does not exist or is not a file`,
      fix: `fix the path: it is relative to the estate file's folder, ${dirname(file)}`,
    };
    return { ok: false, error: new EstateInvalidError(path, [problem]) };
  }
  return { ok: true, estate, file, policyPath };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
