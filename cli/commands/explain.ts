import type { Command } from "commander";
import { analyzeInput } from "../../core/okta/parse-input.ts";
import { readInput } from "../io.ts";

/** Options of `okta-aws-lifecycle explain`. */
export interface ExplainOptions {
  /**
   * Okta app instance ids that provision AWS IAM Identity Center (`--app-id`).
   * @default [] (every `application.*` event is reported as ignored)
   */
  appIds?: readonly string[];
  /** Reads the file (or standard input for `-`); injectable for tests. @default readInput */
  read?: (fileOrDash: string) => Promise<string>;
}

/** What the command prints and its exit code. */
export interface CommandOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * `explain FILE|-`: prints, as a JSON array, one entry per LogEvent in the file: its LifecycleEvent,
 * why it is ignored, or a validation error naming the field.
 *
 * Exit code: 0 when the input parsed (including a hook body whose envelope is valid but where some
 * events are invalid: their entries carry the errors); 1 when the file cannot be read, is not JSON,
 * matches none of the three accepted shapes, has an invalid hook envelope, or is a single event that is
 * invalid.
 */
export async function runExplain(fileOrDash: string, options: ExplainOptions = {}): Promise<CommandOutput> {
  const source = fileOrDash === "-" ? "standard input" : fileOrDash;
  let text: string;
  try {
    text = await (options.read ?? readInput)(fileOrDash);
  } catch (error) {
    return failure(`cannot read ${source}: ${readFailure(error)}`);
  }
  return explainText(text, source, options.appIds ?? []);
}

/** `explain` over already-read text; `source` names it in error messages. */
export function explainText(text: string, source: string, appIds: readonly string[]): CommandOutput {
  // Editors on Windows may save a byte order mark; JSON.parse rejects it.
  const body = text.replace(/^\uFEFF/, "");
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return failure(`${source} is not valid JSON: ${jsonFailure(error as SyntaxError, body)}`);
  }
  const analysis = analyzeInput(json, { provisioningAppIds: appIds });
  return {
    stdout: `${JSON.stringify(analysis.entries, null, 2)}\n`,
    stderr: analysis.parsed
      ? ""
      : `explain: ${source} could not be read as Okta events (see the printed entries).\n`,
    exitCode: analysis.parsed ? 0 : 1,
  };
}

/** Wires `explain` into the program; sets `process.exitCode` from the result. */
export function registerExplain(program: Command): void {
  program
    .command("explain")
    .description(
      "Show what Okta payloads mean for the lifecycle: reads an event hook POST body, a single System Log " +
        "LogEvent, or an EventBridge SystemLog event (Okta Log Streaming) and prints one JSON entry per LogEvent.",
    )
    .argument("<file>", "JSON file to read, or - for standard input")
    .option(
      "--app-id <id...>",
      "Okta app instance id(s) that provision AWS IAM Identity Center (application.* events count only for these)",
    )
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  okta-aws-lifecycle explain delivery.json --app-id 0oa1abc 0oa2def",
        "  okta-aws-lifecycle explain --app-id=0oa1abc - < delivery.json",
        "(--app-id takes several values: put FILE before it, or use --app-id=ID.)",
      ].join("\n"),
    )
    .action(async (file: string, opts: { appId?: string[] }) => {
      const output = await runExplain(file, { appIds: opts.appId ?? [] });
      process.stdout.write(output.stdout);
      process.stderr.write(output.stderr);
      process.exitCode = output.exitCode;
    });
}

function failure(message: string): CommandOutput {
  return { stdout: "", stderr: `explain: ${message}\n`, exitCode: 1 };
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory, not a file";
  return String((error as Error).message);
}

/** V8 reports "at position N (line L column C)"; for input that ends too early, say where it ended. */
function jsonFailure(error: SyntaxError, text: string): string {
  if (/position \d+/.test(error.message)) return error.message;
  const line = text.split("\n").length;
  const column = text.length - text.lastIndexOf("\n");
  return `${error.message} at the end of the input (line ${line} column ${column})`;
}
