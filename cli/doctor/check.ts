/** What one doctor check found. */
export interface CheckResult {
  check: string;
  /** `unsupported`: the check cannot run against this target (a local emulator); never a pass. */
  status: "ok" | "problem" | "unsupported";
  detail: string;
  /** How to fix a problem. */
  fix?: string;
}

export const ok = (check: string, detail: string): CheckResult => ({ check, status: "ok", detail });
export const problem = (check: string, detail: string, fix: string): CheckResult => ({
  check,
  status: "problem",
  detail,
  fix,
});

/** Runs a check; an error it did not expect becomes a problem naming the error (never a crash). */
export async function guarded(
  check: string,
  fix: string,
  run: () => Promise<CheckResult>,
): Promise<CheckResult> {
  try {
    return await run();
  } catch (error) {
    const e = error as Error;
    return problem(check, `${e.name}: ${e.message}`, fix);
  }
}
