import { type Command, InvalidArgumentError } from "commander";
import { runScenario, type ScenarioResult } from "../../chaos/run-scenario.ts";
import { parseScenario, ScenarioFileError } from "../../chaos/scenario.ts";
import { readInput } from "../io.ts";
import type { CommandOutput } from "./explain.ts";

export interface ReplayOptions {
  /** Reads the file; injectable for tests. @default readInput */
  read?: (fileOrDash: string) => Promise<string>;
  /** Where each step is reported as it runs. @default nowhere */
  progress?: (line: string) => void;
  /** The local Deny hold (seconds). @default 4 */
  holdSeconds?: number;
  /** Where the local stack's log goes (runs, dispatch, evidence). @default nowhere */
  log?: (line: string) => void;
}

/** The result in words: what ran, and each divergence (or that there was none). */
export function formatReplay(file: string, result: ScenarioResult): string {
  const faults = Object.entries(result.faults)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  const lines = [
    `${file}: ${result.steps} steps, ${result.events} Okta events (${result.acceptedEvents} accepted), faults: ${faults || "none"}, ${result.seconds.toFixed(1)} s`,
    `slowest time to revoke: ${result.slowestTimeToRevokeMs === null ? "n/a" : `${(result.slowestTimeToRevokeMs / 1000).toFixed(2)} s (${result.slowestRevocation})`}`,
  ];
  if (result.failures.length > 0)
    lines.push(
      `failed workflow executions: ${result.failures.length}`,
      ...result.failures.map((f) => `  - ${f}`),
    );
  if (result.divergences.length === 0) lines.push("divergences: 0 (the pipeline converged to the oracle)");
  else lines.push(`divergences: ${result.divergences.length}`, ...result.divergences.map((d) => `  - ${d}`));
  return `${lines.join("\n")}\n`;
}

/**
 * `replay-scenario FILE`: runs a chaos scenario (written by `npm run chaos` or the CI chaos test when
 * a history diverged) on a fresh local stack and checks it against the oracle. Exit 0 when it
 * converged, 1 when the file is not a scenario, 3 when the pipeline diverged.
 */
export async function runReplay(file: string, options: ReplayOptions = {}): Promise<CommandOutput> {
  let text: string;
  try {
    text = await (options.read ?? readInput)(file);
  } catch (error) {
    return {
      stdout: "",
      stderr: `replay-scenario: cannot read ${file}: ${(error as Error).message}\n`,
      exitCode: 1,
    };
  }
  let scenario: ReturnType<typeof parseScenario>;
  try {
    scenario = parseScenario(text, file);
  } catch (error) {
    if (error instanceof ScenarioFileError)
      return { stdout: "", stderr: `replay-scenario: ${error.message}\n`, exitCode: 1 };
    throw error;
  }
  const result = await runScenario(scenario, {
    ...(options.holdSeconds === undefined ? {} : { holdSeconds: options.holdSeconds }),
    ...(options.log ? { log: options.log } : {}),
    onStep: (i, step, outcome) =>
      options.progress?.(`step ${i + 1}/${scenario.steps.length} ${JSON.stringify(step)}: ${outcome}`),
  });
  return {
    stdout: formatReplay(file, result),
    stderr: "",
    exitCode: result.divergences.length === 0 ? 0 : 3,
  };
}

export function registerReplayScenario(program: Command): void {
  program
    .command("replay-scenario")
    .description("re-run a chaos scenario file on a fresh local stack and check it against the oracle")
    .argument("<file>", "a scenario file written by npm run chaos (chaos/scenario.ts)")
    .option("--hold-seconds <n>", "the local Deny hold", (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1)
        throw new InvalidArgumentError(`--hold-seconds must be a whole number of seconds >= 1, got ${v}`);
      return n;
    })
    .option("--verbose", "print the local stack's log (workflow runs, dispatch, evidence) with timestamps")
    .action(async (file: string, opts: { holdSeconds?: number; verbose?: boolean }) => {
      const started = Date.now();
      const stamp = (line: string) =>
        process.stderr.write(`${((Date.now() - started) / 1000).toFixed(2).padStart(7)} s  ${line}\n`);
      const out = await runReplay(file, {
        progress: stamp,
        ...(opts.verbose ? { log: stamp } : {}),
        ...(opts.holdSeconds === undefined ? {} : { holdSeconds: opts.holdSeconds }),
      });
      process.stdout.write(out.stdout);
      process.stderr.write(out.stderr);
      process.exitCode = out.exitCode;
    });
}
