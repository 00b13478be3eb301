import { Command, CommanderError } from "commander";
import { registerDemo } from "./commands/demo.ts";
import { registerDoctor } from "./commands/doctor.ts";
import { registerEvidence } from "./commands/evidence.ts";
import { registerExplain } from "./commands/explain.ts";
import { registerOkta } from "./commands/okta.ts";
import { registerPolicy } from "./commands/policy.ts";
import { registerReconcile } from "./commands/reconcile.ts";
import { registerReplayScenario } from "./commands/replay-scenario.ts";

/** Builds the command tree; each command module registers itself. */
export function buildProgram(): Command {
  const program = new Command()
    .name("okta-aws-lifecycle")
    .description("Keep AWS IAM Identity Center access in lockstep with Okta's joiner/mover/leaver lifecycle.")
    .showHelpAfterError()
    .exitOverride();
  registerExplain(program);
  registerPolicy(program);
  registerDemo(program);
  registerReconcile(program);
  registerEvidence(program);
  registerOkta(program);
  registerDoctor(program);
  registerReplayScenario(program);
  return program;
}

/**
 * Runs the CLI and returns its exit code. Commands report failure by setting `process.exitCode`
 * (1 = bad input, 2 = "there are changes" for plan-like commands).
 */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: "user" });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
}
