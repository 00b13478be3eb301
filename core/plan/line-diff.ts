/**
 * A line diff in unified-diff notation (` ` kept, `-` only in `before`, `+` only in `after`), from the
 * longest common subsequence of the two line lists, with unchanged runs cut to `context` lines either
 * side of a change (`…` marks a cut). Inputs are normalized policy JSON and policy lists: a few hundred
 * lines at most (an inline policy is at most 10,240 non-whitespace characters), so the quadratic table
 * is small. Empty when the lists are equal.
 */
export function lineDiff(before: readonly string[], after: readonly string[], context = 3): string[] {
  const n = before.length;
  const m = after.length;
  // common[i * (m + 1) + j]: length of the longest common subsequence of before[i..] and after[j..].
  const common = new Uint32Array((n + 1) * (m + 1));
  const lcs = (i: number, j: number): number => common[i * (m + 1) + j] as number;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      common[i * (m + 1) + j] =
        before[i] === after[j] ? lcs(i + 1, j + 1) + 1 : Math.max(lcs(i + 1, j), lcs(i, j + 1));
    }
  }
  const lines: { mark: " " | "-" | "+"; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      lines.push({ mark: " ", text: before[i] as string });
      i++;
      j++;
    } else if (i < n && (j === m || lcs(i + 1, j) >= lcs(i, j + 1))) {
      lines.push({ mark: "-", text: before[i] as string });
      i++;
    } else {
      lines.push({ mark: "+", text: after[j] as string });
      j++;
    }
  }
  if (lines.every((line) => line.mark === " ")) return [];
  const near = lines.map((_, index) =>
    lines.slice(Math.max(0, index - context), index + context + 1).some((line) => line.mark !== " "),
  );
  const out: string[] = [];
  for (const [index, line] of lines.entries()) {
    if (near[index]) out.push(`${line.mark}${line.text}`);
    else if (near[index - 1] !== false) out.push("…");
  }
  return out;
}
