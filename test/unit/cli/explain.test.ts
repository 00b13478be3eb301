import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { explainText, registerExplain, runExplain } from "../../../cli/commands/explain.ts";
import { AWS_APP_ID, OWN_FIXTURES, SHARED_FIXTURES } from "../okta/okta-fixtures.ts";

const sharedLogEvent = path.join(SHARED_FIXTURES, "user-lifecycle-deactivate.logevent.json");
const batch = path.join(OWN_FIXTURES, "batched-delivery.hook.json");

function writeTemp(name: string, content: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "explain-")), name);
  writeFileSync(file, content);
  return file;
}

describe("runExplain", () => {
  it("explains the shared bare LogEvent as a leaver, as 2-space JSON, exit 0", async () => {
    // Act
    const output = await runExplain(sharedLogEvent);

    // Assess
    expect(output.exitCode).toBe(0);
    expect(output.stderr).toBe("");
    expect(output.stdout.endsWith("}\n]\n")).toBe(true);
    expect(output.stdout).toContain('\n  {\n    "index": 0,');
    expect(JSON.parse(output.stdout)).toMatchObject([
      {
        index: 0,
        result: { kind: "leaver", user: { id: "00u3m90rxKjGQ0G6L1d6", login: "john.doe@example.com" } },
      },
    ]);
  });

  it("exits 0 for a hook body whose envelope parses even when one event is invalid", async () => {
    // Act
    const output = await runExplain(batch, { appIds: [AWS_APP_ID] });

    // Assess
    expect(output.exitCode).toBe(0);
    const entries = JSON.parse(output.stdout);
    expect(entries).toHaveLength(5);
    expect(entries[1]).toMatchObject({ error: { path: "data.events[1].published" } });
  });

  it("passes --app-id values through to application.* filtering", async () => {
    // Prepare
    const file = path.join(OWN_FIXTURES, "application-user-membership-add.logevent.json");

    // Act
    const without = JSON.parse((await runExplain(file)).stdout);
    const withApp = JSON.parse((await runExplain(file, { appIds: [AWS_APP_ID] })).stdout);

    // Assess
    expect(without[0].result.reasonCode).toBe("no-provisioning-app-configured");
    expect(withApp[0].result).toMatchObject({ kind: "joiner", app: { id: AWS_APP_ID } });
  });

  it("reads standard input for -", async () => {
    // Prepare
    const read = vi.fn(
      async () => '{"uuid": "u1", "eventType": "user.session.start", "published": "2024-05-01T00:00:00Z"}',
    );

    // Act
    const output = await runExplain("-", { read });

    // Assess
    expect(read).toHaveBeenCalledWith("-");
    expect(JSON.parse(output.stdout)).toMatchObject([{ result: { reasonCode: "unsupported-event-type" } }]);
  });

  it("names the path of a missing file, exit 1", async () => {
    // Prepare
    const missing = path.join(tmpdir(), "no-such-dir-explain", "payload.json");

    // Act
    const output = await runExplain(missing);

    // Assess
    expect(output).toEqual({
      stdout: "",
      stderr: `explain: cannot read ${missing}: no such file\n`,
      exitCode: 1,
    });
  });

  it("says when the path is a directory", async () => {
    // Act
    const output = await runExplain(OWN_FIXTURES);

    // Assess
    expect(output.stderr).toBe(`explain: cannot read ${OWN_FIXTURES}: it is a directory, not a file\n`);
    expect(output.exitCode).toBe(1);
  });

  it("reports other read failures with their message, naming standard input", async () => {
    // Act
    const output = await runExplain("-", { read: async () => Promise.reject(new Error("stream closed")) });

    // Assess
    expect(output.stderr).toBe("explain: cannot read standard input: stream closed\n");
    expect(output.exitCode).toBe(1);
  });

  it("reads a file saved with a byte order mark", async () => {
    // Prepare
    const file = writeTemp(
      "bom.json",
      `\uFEFF${JSON.stringify({ uuid: "u", eventType: "x", published: "2024-05-01T00:00:00Z" })}`,
    );

    // Act
    const output = await runExplain(file);

    // Assess
    expect(output.exitCode).toBe(0);
  });
});

describe("explainText", () => {
  it("reports invalid JSON with its line and column, exit 1", () => {
    // Act
    const output = explainText('{\n  "a": 1,\n  b}', "payload.json", []);

    // Assess
    expect(output.exitCode).toBe(1);
    expect(output.stdout).toBe("");
    expect(output.stderr).toMatch(
      /^explain: payload\.json is not valid JSON: .*position 14 \(line 3 column 3\)\n$/,
    );
  });

  it.each([
    ["", "line 1 column 1"],
    ['{"a":\n  [1,', "line 2 column 6"],
  ])("says where input that ends early (%j) ended", (text, where) => {
    // Act
    const output = explainText(text, "standard input", []);

    // Assess
    expect(output.exitCode).toBe(1);
    expect(output.stderr).toContain(
      `standard input is not valid JSON: Unexpected end of JSON input at the end of the input (${where})`,
    );
  });

  it("prints the shape error for unrecognized JSON, exit 1", () => {
    // Act
    const output = explainText("[]", "list.json", []);

    // Assess
    expect(output.exitCode).toBe(1);
    expect(JSON.parse(output.stdout)).toMatchObject([{ index: null, error: { path: "(root)" } }]);
    expect(output.stderr).toBe(
      "explain: list.json could not be read as Okta events (see the printed entries).\n",
    );
  });

  it("exits 1 for a single invalid LogEvent", () => {
    // Act
    const output = explainText(
      '{"uuid": "u", "eventType": "user.lifecycle.suspend", "published": "now"}',
      "x",
      [],
    );

    // Assess
    expect(output.exitCode).toBe(1);
    expect(JSON.parse(output.stdout)).toMatchObject([{ index: 0, error: { path: "published" } }]);
  });
});

describe("registerExplain", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it("wires `explain FILE --app-id ...` into a program and sets the exit code", async () => {
    // Prepare
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const program = new Command().exitOverride();
    registerExplain(program);
    const file = path.join(OWN_FIXTURES, "application-user-membership-remove.logevent.json");

    // Act
    await program.parseAsync(["explain", file, "--app-id", "0oaOther", AWS_APP_ID], { from: "user" });

    // Assess
    expect(process.exitCode).toBe(0);
    const printed = JSON.parse(String(stdout.mock.calls[0]?.[0]));
    expect(printed).toMatchObject([{ result: { kind: "leaver", app: { id: AWS_APP_ID } } }]);
  });

  it("sets exit code 1 when the input does not parse", async () => {
    // Prepare
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const program = new Command().exitOverride();
    registerExplain(program);

    // Act
    await program.parseAsync(["explain", writeTemp("bad.json", "{")], { from: "user" });

    // Assess
    expect(process.exitCode).toBe(1);
    expect(String(stderr.mock.calls[0]?.[0])).toContain("is not valid JSON");
  });
});

describe("okta-aws-lifecycle explain (the real binary)", () => {
  it("reads a file (exit 0) and standard input (exit 1 for an unrecognized shape)", () => {
    // Prepare
    const bin = path.resolve(import.meta.dirname, "../../../cli/bin.js");

    // Act
    const fromFile = execFileSync(process.execPath, [bin, "explain", sharedLogEvent], { encoding: "utf8" });
    const fromStdin = spawnSync(process.execPath, [bin, "explain", "-"], { input: "[]", encoding: "utf8" });

    // Assess
    expect(JSON.parse(fromFile)).toMatchObject([{ index: 0, result: { kind: "leaver", subject: "user" } }]);
    expect(fromStdin.status).toBe(1);
    expect(JSON.parse(fromStdin.stdout)).toMatchObject([{ index: null, error: { path: "(root)" } }]);
  });
});
