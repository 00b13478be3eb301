/**
 * Finding the entities a request names, with the NoSuchEntity messages IAM answers
 * ("The user with name X cannot be found.", "The role with name X cannot be found.").
 */
import type { Caller } from "./caller.ts";
import { noSuchEntity, validationError } from "./errors.ts";
import { type QueryFields, RULES } from "./fields.ts";
import type { AccountIam, RoleRecord, UserRecord } from "./state.ts";

export function requireUser(account: AccountIam, name: string): UserRecord {
  const user = account.user(name);
  if (user === undefined) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return user;
}

export function requireRole(account: AccountIam, name: string): RoleRecord {
  const role = account.role(name);
  if (role === undefined) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

/**
 * The user an operation with an optional `UserName` acts on: the named one or, when absent, the
 * calling IAM user ("IAM determines the user name implicitly based on the Amazon Web Services access
 * key ID used to sign the request", IAM API Reference, e.g. ListAccessKeys). Other callers must name one.
 */
export function targetUser(
  fields: QueryFields,
  caller: Caller,
  account: AccountIam,
  member = "UserName",
): UserRecord {
  const name = fields.optionalString(member, RULES.existingUserName);
  fields.done();
  if (name !== undefined) return requireUser(account, name);
  if (caller.kind !== "user" || caller.userName === undefined) {
    throw validationError("Must specify userName when calling with non-User credentials");
  }
  return requireUser(account, caller.userName);
}
