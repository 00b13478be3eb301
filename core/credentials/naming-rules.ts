import type { NamingRule } from "../policy/credentials-policy.ts";
import type { OktaPerson } from "./iam-user.ts";

/**
 * The IAM user name a naming rule derives from an Okta user, lower-cased, or undefined when the
 * person lacks what the rule needs. IAM user names are unique regardless of case (IAM User Guide,
 * "IAM identifiers": "user names are not distinguished by case"), so every comparison is lower-case.
 * - `login`: the Okta login (`jane.doe@corp.example`);
 * - `loginLocalPart`: the login before its `@` (`jane.doe`);
 * - `email`: the primary email;
 * - `emailLocalPart`: the email before its `@`;
 * - `firstDotLast`: first name, `.`, last name, spaces removed (`jane.doe`);
 * - `firstInitialLast`: the first name's initial and the last name, spaces removed (`jdoe`).
 */
export function nameByRule(person: OktaPerson, rule: NamingRule): string | undefined {
  const first = compact(person.profile.firstName);
  const last = compact(person.profile.lastName);
  switch (rule) {
    case "login":
      return person.login.toLowerCase();
    case "loginLocalPart":
      return localPart(person.login);
    case "email":
      return person.email?.toLowerCase() || undefined;
    case "emailLocalPart":
      return person.email === null ? undefined : localPart(person.email);
    case "firstDotLast":
      return first && last ? `${first}.${last}` : undefined;
    case "firstInitialLast":
      return first && last ? `${first.charAt(0)}${last}` : undefined;
  }
}

function compact(name: string | null | undefined): string | undefined {
  return name?.replace(/\s+/g, "").toLowerCase() || undefined;
}

function localPart(address: string): string | undefined {
  const at = address.lastIndexOf("@");
  return at > 0 ? address.slice(0, at).toLowerCase() : undefined;
}
