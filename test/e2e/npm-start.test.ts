import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { randomHookSecret } from "../../local/local-secrets.ts";

const START_SECRET = randomHookSecret();

const START = path.resolve(import.meta.dirname, "../../local/start.ts");

/** Waits for a line matching `pattern` on the child's stdout. */
// A booting child process on a loaded CI machine (2 cores, the flood and chaos suites alongside) has
// taken over 20 s to print its first line; alone it takes about 2 s.
function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in output:\n${seen}`)), timeoutMs);
    child.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code} before ${pattern}:\n${seen}`)));
  });
}

describe("npm start (local/start.ts)", () => {
  let dir = "";
  let child: ChildProcess | undefined;
  afterAll(async () => {
    child?.kill("SIGKILL");
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("boots on the given port, prints every URL, writes .local/endpoints.json, and stops on Ctrl+C", async () => {
    // Prepare
    dir = await mkdtemp(path.join(tmpdir(), "npm-start-"));
    // A world-readable endpoints file left by an older run must not stay world-readable.
    await mkdir(path.join(dir, ".local"));
    await writeFile(path.join(dir, ".local/endpoints.json"), "{}", { mode: 0o644 });
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    // Act
    child = spawn(process.execPath, [START, "--port", String(port)], {
      cwd: dir,
      env: { ...process.env, OKTA_HOOK_SECRET: START_SECRET },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output = await waitForOutput(child, /Press Ctrl\+C to stop/);
    // Assess
    expect(output).toContain(`http://127.0.0.1:${port}/okta/events`);
    expect(output).toContain(`Authorization: ${START_SECRET}`);
    const endpoints = JSON.parse(await readFile(path.join(dir, ".local/endpoints.json"), "utf8"));
    // It holds the local signing key and the hook secret: readable by the owner only.
    expect((await stat(path.join(dir, ".local/endpoints.json"))).mode & 0o777).toBe(0o600);
    expect(endpoints).toMatchObject({
      hook: { url: `http://127.0.0.1:${port}/okta/events`, secret: START_SECRET },
      okta: {
        orgUrl: `http://127.0.0.1:${port}`,
        apiToken: expect.any(String),
        reportAdminToken: expect.any(String),
      },
      aws: { endpoint: `http://127.0.0.1:${port}`, region: "us-east-1" },
      evidence: { bucket: expect.any(String), endpoint: `http://127.0.0.1:${port + 1}` },
      state: { url: `http://127.0.0.1:${port}/local/state` },
    });
    // The Report Administrator's token reads the System Log and nothing else.
    const asReportAdmin = (p: string) =>
      fetch(`${endpoints.okta.orgUrl}${p}`, {
        headers: { authorization: `SSWS ${endpoints.okta.reportAdminToken}` },
      });
    expect([
      (await asReportAdmin("/api/v1/logs")).status,
      (await asReportAdmin("/api/v1/users")).status,
    ]).toEqual([200, 403]);
    const state = (await (await fetch(endpoints.state.url)).json()) as {
      okta: { users: unknown[] };
      organization: { accounts: unknown[] };
    };
    expect(state.okta.users).toHaveLength(400);
    expect(state.organization.accounts).toHaveLength(35);
    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(page).toContain("<title>okta-aws-lifecycle local stack</title>");

    const exited = new Promise<number | null>((resolve) => child?.once("exit", resolve));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  }, 90_000);

  it("refuses a bad option with a message naming it, changing nothing", async () => {
    const bad = spawn(process.execPath, [START, "--latency", "warp"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    bad.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => bad.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain("--latency is fast or aws");
  });
});
