import { type DenyStatement, isToolStatement } from "./deny-statement.ts";
import { storedStatements } from "./stored-statements.ts";

/*
 * A Deny statement covers a set of atoms: (user, role pattern or every role, issued-before instant or
 * any session). Splitting a statement across documents keeps its atoms, so comparing atoms tells
 * whether two sets of documents deny the same thing, whatever the sharding.
 */

const EVERY_ROLE = "*";

/** One atom as a string: `user|issuedBefore|pattern` (empty issuedBefore: any session). */
export function atomKey(userId: string, issuedBefore: string, rolePattern: string): string {
  return `${userId}|${issuedBefore}|${rolePattern}`;
}

function addAtoms(
  into: Set<string>,
  users: readonly string[],
  issuedBefore: string,
  patterns: readonly string[],
) {
  for (const user of users) for (const pattern of patterns) into.add(atomKey(user, issuedBefore, pattern));
}

/**
 * An atom of a federated-sessions Deny (federated-denies.ts): the condition key and one value as the
 * "user" (no Identity Store id holds `=`), every role, any session.
 */
export function federatedAtom(key: "aws:userid" | "aws:SourceIdentity", value: string): string {
  return atomKey(`${key}=${value}`, "", "*");
}

/** The atoms of typed statements. */
export function statementAtoms(statements: readonly DenyStatement[]): Set<string> {
  const atoms = new Set<string>();
  for (const { Condition: c } of statements) {
    const patterns = c.ArnLike?.["aws:PrincipalArn"] ?? [EVERY_ROLE];
    addAtoms(
      atoms,
      c.StringEquals["identitystore:userId"],
      c.DateLessThan?.["aws:TokenIssueTime"] ?? "",
      patterns,
    );
  }
  return atoms;
}

/** A condition value as IAM reads it: a string or a list of strings. */
function asList(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

const field = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;

/**
 * The atoms of this tool's statements in a stored policy text. Lenient: what is not JSON, or not shaped
 * like a Deny the tool writes, covers nothing (a hand-edited document is repaired, not trusted).
 */
export function policyAtoms(policyText: string): Set<string> {
  const atoms = new Set<string>();
  for (const s of storedStatements(policyText)) {
    if (!isToolStatement(s) || field(s, "Effect") !== "Deny") continue;
    const condition = field(s, "Condition");
    for (const value of asList(field(field(condition, "StringLike"), "aws:userid")))
      atoms.add(federatedAtom("aws:userid", value));
    for (const value of asList(field(field(condition, "StringEquals"), "aws:SourceIdentity")))
      atoms.add(federatedAtom("aws:SourceIdentity", value));
    const users = asList(field(field(condition, "StringEquals"), "identitystore:userId"));
    const arnLike = field(field(condition, "ArnLike"), "aws:PrincipalArn");
    const issued = asList(field(field(condition, "DateLessThan"), "aws:TokenIssueTime"))[0] ?? "";
    addAtoms(atoms, users, issued, arnLike === undefined ? [EVERY_ROLE] : asList(arnLike));
  }
  return atoms;
}
