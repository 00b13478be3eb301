const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text made safe for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char] as string);
}

/**
 * An `<a>` to `${baseUrl}/${key}` (each key segment URL-encoded), or the bare key when the base is not
 * an http(s) URL: a link can never carry a `javascript:` or other scheme.
 */
export function objectLink(baseUrl: string, key: string): string {
  if (!/^https?:\/\//i.test(baseUrl)) return `<code>${escapeHtml(key)}</code>`;
  const href = `${baseUrl.replace(/\/+$/, "")}/${key.split("/").map(encodeURIComponent).join("/")}`;
  return `<a href="${escapeHtml(href)}"><code>${escapeHtml(key)}</code></a>`;
}
