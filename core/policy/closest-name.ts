/** Levenshtein distance between two strings (insertions, deletions and substitutions cost 1). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * The candidate most likely meant by a misspelt `name`: the closest by case-insensitive edit
 * distance, when that distance is at most a third of the longer name (so `nme` -> `name`, but no
 * guess between unrelated short names). The first candidate wins a tie. `undefined` when nothing is close.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    const tolerance = Math.floor(Math.max(name.length, candidate.length) / 3);
    if (distance <= tolerance && (best === undefined || distance < best.distance))
      best = { candidate, distance };
  }
  return best?.candidate;
}
