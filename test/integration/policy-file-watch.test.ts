import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { watchPolicyFile } from "../../local/stack/policy-file-watch.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function watched(initial: string) {
  const dir = await mkdtemp(join(tmpdir(), "policy-watch-"));
  const file = join(dir, "policy.yaml");
  await writeFile(file, initial);
  const changes: string[] = [];
  const watch = watchPolicyFile(file, {
    initial,
    debounceMs: 20,
    onChange: async (yaml) => void changes.push(yaml),
  });
  cleanups.push(watch.close, () => rm(dir, { recursive: true, force: true }));
  return { file, dir, changes };
}

async function until(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe("watching the local policy file", () => {
  it("hands over each new text once, and skips saves that change nothing", async () => {
    // Prepare
    const { file, changes } = await watched("version: 1\n");
    // Act: an unchanged save, then a real edit
    await writeFile(file, "version: 1\n");
    await new Promise((r) => setTimeout(r, 60));
    await writeFile(file, "version: 1\nrules: []\n");
    await until(() => changes.length > 0);
    // Assess
    expect(changes).toEqual(["version: 1\nrules: []\n"]);
  });

  it("keeps watching across editors' write-and-rename saves", async () => {
    const { file, dir, changes } = await watched("a: 1\n");
    for (const text of ["a: 2\n", "a: 3\n"]) {
      const temp = join(dir, ".policy.yaml.swp");
      await writeFile(temp, text);
      await rename(temp, file);
      await until(() => changes.at(-1) === text);
    }
    expect(changes).toEqual(["a: 2\n", "a: 3\n"]);
  });
});
