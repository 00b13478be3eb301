import type { DenyEntry } from "../../../core/estate.ts";
import type { DenyStatement } from "../../../core/revocation/deny-statement.ts";

export const CREATED = "2026-06-01T12:00:00.000Z";
export const EXPIRES = "2026-06-02T00:00:00.000Z";

/** A realistic Identity Store user id (UUID-like, 36 characters). */
export const userId = (n: number) => `9067c9d2f1-${String(n).padStart(4, "0")}-4e0d-a3b1-5f2c8e7d6a90`;
export const account = (n: number) => String(100000000000 + n);

export const leaver = (user: string): DenyEntry => ({
  userId: user,
  scope: "all",
  reason: "leaver",
  createdAt: CREATED,
  expiresAt: EXPIRES,
});

export const mover = (user: string, permissionSetName: string, accountIds: string[]): DenyEntry => ({
  userId: user,
  scope: { permissionSetName, accountIds },
  reason: "mover",
  createdAt: CREATED,
  expiresAt: EXPIRES,
});

export const attributeChange = (user: string, issuedBefore: string): DenyEntry => ({
  userId: user,
  scope: "all",
  issuedBefore,
  reason: "attribute-change",
  createdAt: CREATED,
  expiresAt: EXPIRES,
});

interface ParsedPolicy {
  Version: string;
  Statement: DenyStatement[];
}

export const parsePolicy = (text: string) => JSON.parse(text) as ParsedPolicy;

/** Every user id named in the documents' statements. */
export function userIdsIn(documents: readonly string[]): Set<string> {
  return new Set(
    documents.flatMap((d) =>
      parsePolicy(d).Statement.flatMap((s) => s.Condition.StringEquals["identitystore:userId"]),
    ),
  );
}

/** Every statement of the documents. */
export const statementsIn = (documents: readonly string[]) =>
  documents.flatMap((d) => parsePolicy(d).Statement);
