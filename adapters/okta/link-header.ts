/**
 * Reads RFC 8288 `Link` headers as Okta sends them: one `link:` line per relation
 * (`<https://org/api/v1/users?after=00u...&limit=200>; rel="next"`), which `fetch` joins with ", ".
 */
export function linkTarget(header: string | null, rel: string): string | null {
  if (header === null) return null;
  for (const match of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const params = match[2] ?? "";
    const relMatch = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(params);
    const rels = relMatch?.[1]?.trim().split(/\s+/) ?? [];
    if (rels.includes(rel)) return match[1] ?? null;
  }
  return null;
}
