import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureSstPlatform } from "../../scripts/sst-platform.ts";

/**
 * CI type-checks sst.config.ts and infra/ against SST's real platform types (scripts/typecheck-infra.ts).
 * This proves that check has teeth: a copy of a real infra file type-checks with the same settings,
 * and the same copy with one deliberate mistake fails, naming the file and line.
 */
const root = process.cwd();
const run = promisify(execFile);
let dir = "";

async function typecheck(fileName: string, source: string) {
  await writeFile(join(dir, fileName), source);
  await writeFile(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      extends: "../../tsconfig.infra.json",
      include: ["../platform/config.d.ts", fileName],
    }),
  );
  try {
    await run(join(root, "node_modules/.bin/tsc"), ["--noEmit", "-p", join(dir, "tsconfig.json")], {
      cwd: root,
    });
    return { ok: true, output: "" };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
  }
}

/** infra/tables.ts as a file of the probe directory (its relative imports pointed back at infra/). */
async function tablesCopy() {
  const source = await readFile(join(root, "infra/tables.ts"), "utf8");
  return source.replaceAll('from "./', 'from "../../infra/');
}

beforeAll(async () => {
  // On a fresh clone `npm test` installs SST's platform types itself (from the npm registry).
  ensureSstPlatform(root);
  if (!existsSync(join(root, ".sst/platform/config.d.ts")))
    throw new Error("SST's platform types are missing after `sst install`: see its output above");
  dir = await mkdtemp(join(root, ".sst", "infra-typecheck-probe-"));
}, 600_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the infra type-check", () => {
  it("passes an unchanged copy of a real infra file", async () => {
    // Act
    const result = await typecheck("tables.ts", await tablesCopy());

    // Assess
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
  }, 120_000);

  it("fails on a deliberate mistake against SST's types, naming the file and line", async () => {
    // Prepare: a TTL attribute must be a string (DynamoArgs.ttl is Input<string>).
    const source = await tablesCopy();
    const broken = source.replace("ttl: RUNTIME_CONTRACT.idempotencyTable.ttlAttribute,", "ttl: 7,");
    const line = broken.split("\n").findIndex((l) => l.includes("ttl: 7,")) + 1;

    // Act
    const result = await typecheck("broken-tables.ts", broken);

    // Assess
    expect(broken).not.toBe(source);
    expect(result.ok).toBe(false);
    expect(result.output).toContain(`broken-tables.ts(${line},`);
    expect(result.output).toMatch(/error TS2322: Type 'number' is not assignable to type/);
  }, 120_000);
});
