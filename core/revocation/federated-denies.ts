import type { FederatedSessionDeny } from "../credentials/leaver-deny-policies.ts";
import type { DenyEntry } from "../estate.ts";
import { sha256Hex } from "../evidence/hash-chain.ts";
import { federatedAtom } from "./deny-atoms.ts";
import { TOOL_SID_PREFIX } from "./deny-statement.ts";

/*
 * Leavers' federated role sessions in the revocation SCPs (issue 16; the AWS sources are in
 * core/credentials/leaver-deny-policies.ts): `aws:userid` of a SAML role session is
 * `<role id>:<RoleSessionName>`, so `StringLike aws:userid *:<session name>` denies it in every member
 * account whatever the role; `StringEquals aws:SourceIdentity <login>` denies it and every session
 * chained from it. The values of one condition key are ORed, so every leaver's session name shares one
 * statement and every source identity another; splitting a list keeps the meaning, as for user ids.
 */

/** One federated Deny condition: a single key, its values ORed. */
export type FederatedDenyCondition =
  | { StringLike: { "aws:userid": string[] } }
  | { StringEquals: { "aws:SourceIdentity": string[] } };

/** A federated-sessions Deny as written into a revocation SCP. */
export interface FederatedScpStatement {
  Sid: string;
  Effect: "Deny";
  Action: "*";
  Resource: "*";
  Condition: FederatedDenyCondition;
}

/** The `userId` of a ledger entry for an Okta user's federated sessions. */
export function federatedDenyUserId(oktaUserId: string): string {
  return `okta:${oktaUserId}`;
}

/** Whether a ledger entry denies federated sessions (not an Identity Center user). */
export function isFederatedDeny(deny: DenyEntry): boolean {
  return deny.federated !== undefined;
}

/**
 * The ledger entry for a `federated-deny.scp` action's statements (core/credentials): in force from
 * `createdAt` until `liftAt`, lifted like every other Deny.
 */
export function federatedDenyEntry(input: {
  oktaUserId: string;
  statements: readonly FederatedSessionDeny[];
  createdAt: string;
  liftAt: string;
  /** The Okta-trusting roles the Deny reaches in member accounts. @default absent */
  roleArns?: readonly string[];
}): DenyEntry {
  const federated: NonNullable<DenyEntry["federated"]> = {};
  for (const { Condition: c } of input.statements) {
    if ("StringLike" in c) federated.sessionName = c.StringLike["aws:userid"].replace(/^\*:/, "");
    else federated.sourceIdentity = c.StringEquals["aws:SourceIdentity"];
  }
  if (input.roleArns !== undefined && input.roleArns.length > 0) federated.roleArns = [...input.roleArns];
  return {
    userId: federatedDenyUserId(input.oktaUserId),
    scope: "all",
    reason: "federated-sessions",
    createdAt: input.createdAt,
    expiresAt: input.liftAt,
    federated,
  };
}

/** Builds a statement; its Sid is derived from the condition, so equal conditions get equal Sids. */
export function federatedStatement(condition: FederatedDenyCondition): FederatedScpStatement {
  const kind = "StringLike" in condition ? "FederatedSession" : "SourceIdentity";
  return {
    Sid: `${TOOL_SID_PREFIX}${kind}${sha256Hex(JSON.stringify(condition)).slice(0, 16)}`,
    Effect: "Deny",
    Action: "*",
    Resource: "*",
    Condition: condition,
  };
}

const byCodeUnits = (a: string, b: string) => Number(a > b) - Number(a < b);
const sortedUnique = (values: Iterable<string>) => [...new Set(values)].sort(byCodeUnits);

/** The session-name patterns and source identities a statement denies. */
export function federatedValues(s: FederatedScpStatement): string[] {
  return "StringLike" in s.Condition
    ? s.Condition.StringLike["aws:userid"]
    : s.Condition.StringEquals["aws:SourceIdentity"];
}

/** The same kind of statement over other values. */
export function withFederatedValues(s: FederatedScpStatement, values: string[]): FederatedScpStatement {
  return federatedStatement(
    "StringLike" in s.Condition
      ? { StringLike: { "aws:userid": values } }
      : { StringEquals: { "aws:SourceIdentity": values } },
  );
}

/**
 * The federated Denies of the entries as at most two statements (session names, then source
 * identities), values sorted and deduplicated: independent of the entries' order.
 */
export function federatedStatements(denies: readonly DenyEntry[]): FederatedScpStatement[] {
  const federated = denies.flatMap((d) => (d.federated ? [d.federated] : []));
  const names = sortedUnique(federated.flatMap((f) => (f.sessionName ? [`*:${f.sessionName}`] : [])));
  const sources = sortedUnique(federated.flatMap((f) => (f.sourceIdentity ? [f.sourceIdentity] : [])));
  const statements: FederatedScpStatement[] = [];
  if (names.length > 0) statements.push(federatedStatement({ StringLike: { "aws:userid": names } }));
  if (sources.length > 0)
    statements.push(federatedStatement({ StringEquals: { "aws:SourceIdentity": sources } }));
  return statements;
}

/** The atoms of federated statements. */
export function federatedStatementAtoms(statements: readonly FederatedScpStatement[]): Set<string> {
  const atoms = new Set<string>();
  for (const s of statements) {
    const key = "StringLike" in s.Condition ? "aws:userid" : "aws:SourceIdentity";
    for (const value of federatedValues(s)) atoms.add(federatedAtom(key, value));
  }
  return atoms;
}

/** The atoms one ledger entry needs in force. */
export function federatedEntryAtoms(deny: DenyEntry): string[] {
  const f = deny.federated;
  if (f === undefined) return [];
  return [
    ...(f.sessionName ? [federatedAtom("aws:userid", `*:${f.sessionName}`)] : []),
    ...(f.sourceIdentity ? [federatedAtom("aws:SourceIdentity", f.sourceIdentity)] : []),
  ];
}
