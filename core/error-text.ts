/** An error as one line for evidence and findings: its name and message (`Error: ...` when unnamed). */
export function errorText(error: unknown): string {
  const e = error as { name?: string; message?: string } | null | undefined;
  return `${e?.name ?? "Error"}: ${e?.message ?? String(error)}`;
}
