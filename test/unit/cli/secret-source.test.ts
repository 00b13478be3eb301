import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSecretSource, readSecret, SecretSourceError } from "../../../cli/secret-source.ts";

const readers = (env: Record<string, string>) => ({
  env,
  ssm: () => {
    throw new Error("not used");
  },
  secretsManager: () => {
    throw new Error("not used");
  },
});

describe("cli/secret-source", () => {
  it("parses the four forms and refuses anything else", () => {
    // Act / Assess
    expect(parseSecretSource("env:HOOK_SECRET")).toEqual({ kind: "env", name: "HOOK_SECRET" });
    expect(parseSecretSource("file:./a:b.txt")).toEqual({ kind: "file", path: "./a:b.txt" });
    expect(parseSecretSource("ssm:/oal/hook")).toEqual({ kind: "ssm", name: "/oal/hook" });
    expect(parseSecretSource("secretsmanager:oal/hook")).toEqual({ kind: "secretsmanager", id: "oal/hook" });
    expect(() => parseSecretSource("Bearer abc")).toThrow(SecretSourceError);
    expect(() => parseSecretSource("vault:x")).toThrow(/unknown source "vault"/);
    expect(() => parseSecretSource("env:")).toThrow(/expected env:NAME/);
  });

  it("reads a file without its trailing newline", async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), "oal-secret-"));
    const file = join(dir, "hook-secret.txt");
    await writeFile(file, "0123456789abcdef0123\n");

    // Act
    const secret = await readSecret({ kind: "file", path: file }, readers({}));
    await rm(dir, { recursive: true, force: true });

    // Assess
    expect(secret).toBe("0123456789abcdef0123");
  });

  it("names a missing file instead of failing obscurely", async () => {
    // Act
    const read = readSecret({ kind: "file", path: "/nonexistent/hook-secret.txt" }, readers({}));

    // Assess
    await expect(read).rejects.toThrow(/could not read the secret: ENOENT/);
  });
});
