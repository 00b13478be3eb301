/**
 * The statements of a stored policy text, read leniently: what is not JSON yields none, and a single
 * statement object counts as a list of one (IAM accepts both). Callers then check each statement's
 * shape, as a hand-edited document is repaired, never trusted.
 */
export function storedStatements(policyText: string): unknown[] {
  let policy: unknown;
  try {
    policy = JSON.parse(policyText);
  } catch {
    return [];
  }
  const statement =
    typeof policy === "object" && policy !== null ? (policy as { Statement?: unknown }).Statement : undefined;
  return Array.isArray(statement) ? statement : [statement];
}
