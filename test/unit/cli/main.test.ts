import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram, DEV_ONLY_COMMANDS } from "../../../cli/main.ts";

describe("the CLI's dev-only commands (issue 12, point 10)", () => {
  it.each(DEV_ONLY_COMMANDS.map((c) => [c.name, c]))(
    "lists %s with the description its module registers",
    async (name, command) => {
      // Prepare
      const real = new Command();
      (await command.load())(real);

      // Act
      const listed = (await buildProgram([])).commands.find((c) => c.name() === name);

      // Assess
      expect(listed?.description()).toBe(real.commands[0]?.description());
    },
  );

  it("registers the real command (options and all) only when it is invoked", async () => {
    // Act
    const idle = (await buildProgram(["plan", "--help"])).commands.find((c) => c.name() === "demo");
    const invoked = (await buildProgram(["demo", "--user", "x"])).commands.find((c) => c.name() === "demo");
    const viaHelp = (await buildProgram(["help", "demo"])).commands.find((c) => c.name() === "demo");

    // Assess
    expect(idle?.options).toEqual([]);
    expect(invoked?.options.map((o) => o.long)).toContain("--user");
    expect(viaHelp?.options.map((o) => o.long)).toContain("--user");
  });
});
