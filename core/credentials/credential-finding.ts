import { compareText } from "./compare-text.ts";

/** What a human should know about an estate's credentials; shaped like core/plan `Finding`. */
export type CredentialFindingKind =
  /** Two or more Okta users could own the IAM user (tags, names, or tag and name disagree). */
  | "iam-user-owner-ambiguous"
  /** An owner tag names a login or email no Okta user has (a person who left and was deleted?). */
  | "iam-user-owner-tag-unknown"
  /** An IAM user that looks like a person's (console password, keys used outside AWS) maps to nobody. */
  | "iam-user-unmapped-human"
  /** A break-glass user: never touched; its last use and MFA state, to test it quarterly. */
  | "break-glass-user"
  /** A leaver's federated sessions cannot be denied by name: the session name is no valid RoleSessionName. */
  | "federated-session-name-unusable"
  /** Okta still assigns the leaver the AWS Account Federation app: Okta should have unassigned them. */
  | "okta-federation-app-still-assigned"
  /** The leaver's app assignments could not be read from Okta, so the check above was not made. */
  | "okta-federation-app-unreadable";

export interface CredentialFinding {
  kind: CredentialFindingKind;
  message: string;
  /** Stable identifiers of what the finding is about (account id, user name, Okta user id...). */
  subject: Record<string, string>;
}

/** Findings in a stable order: by kind, then subject, then message. */
export function sortFindings(findings: readonly CredentialFinding[]): CredentialFinding[] {
  const key = (f: CredentialFinding) => `${f.kind}\u0000${JSON.stringify(f.subject)}\u0000${f.message}`;
  return [...findings].sort((a, b) => compareText(key(a), key(b)));
}
