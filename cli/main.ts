import { Command, CommanderError } from "commander";
import { registerDoctor } from "./commands/doctor.ts";
import { registerEvidence } from "./commands/evidence.ts";
import { registerExplain } from "./commands/explain.ts";
import { registerOkta } from "./commands/okta.ts";
import { registerPolicy } from "./commands/policy.ts";
import { registerProbe } from "./commands/probe.ts";
import { registerReconcile } from "./commands/reconcile.ts";

/** A command whose module needs the dev dependencies: imported only when the command is invoked. */
export interface DevOnlyCommand {
  name: string;
  /** What the top-level help lists (the module's own description, kept equal by a test). */
  description: string;
  /** Imports the module and returns its `register` function. */
  load: () => Promise<(program: Command) => void>;
}

/**
 * Commands that drive the local stack (its emulators and the AGPL IAM policy simulator are dev
 * dependencies). The production CLI (`npm install --omit=dev`) never imports them, so `evidence`,
 * `plan` and the rest run without them.
 */
export const DEV_ONLY_COMMANDS: readonly DevOnlyCommand[] = [
  {
    name: "demo",
    description: "play a leaver through the running local stack (start it with `npm start`)",
    load: async () => (await import("./commands/demo.ts")).registerDemo,
  },
  {
    name: "replay-scenario",
    description: "re-run a chaos scenario file on a fresh local stack and check it against the oracle",
    load: async () => (await import("./commands/replay-scenario.ts")).registerReplayScenario,
  },
];

/** Thrown when a dev-only command is invoked where the dev dependencies are not installed. */
export class DevDependenciesMissingError extends Error {
  override name = "DevDependenciesMissingError";
}

/** The command `argv` invokes (`help <command>` counts as invoking it), if any. */
function invokedCommand(argv: readonly string[]): string | undefined {
  const words = argv.filter((arg) => !arg.startsWith("-"));
  return words[0] === "help" ? words[1] : words[0];
}

/**
 * Builds the command tree; each command module registers itself. A dev-only command is loaded only
 * when `argv` invokes it; otherwise it is listed in the help by name and description.
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command()
    .name("okta-aws-lifecycle")
    .description("Keep AWS IAM Identity Center access in lockstep with Okta's joiner/mover/leaver lifecycle.")
    .showHelpAfterError()
    .exitOverride();
  registerExplain(program);
  registerPolicy(program);
  await registerDevOnly(program, "demo", argv);
  registerReconcile(program);
  registerEvidence(program);
  registerOkta(program);
  registerDoctor(program);
  registerProbe(program);
  await registerDevOnly(program, "replay-scenario", argv);
  return program;
}

async function registerDevOnly(program: Command, name: string, argv: readonly string[]): Promise<void> {
  const command = DEV_ONLY_COMMANDS.find((c) => c.name === name);
  if (command === undefined) throw new Error(`no dev-only command ${name}`);
  if (invokedCommand(argv) !== name) {
    program.command(name).description(command.description);
    return;
  }
  let register: (program: Command) => void;
  try {
    register = await command.load();
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw error;
    throw new DevDependenciesMissingError(
      `${name} needs the development dependencies (the local stack): run \`npm install\` without --omit=dev (${(error as Error).message.split("\n")[0]})`,
    );
  }
  register(program);
}

/**
 * Runs the CLI and returns its exit code. Commands report failure by setting `process.exitCode`
 * (1 = bad input, 2 = "there are changes" for plan-like commands).
 */
export async function main(argv: string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync(argv, { from: "user" });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof DevDependenciesMissingError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
