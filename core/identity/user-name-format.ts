/**
 * The Identity Center `UserName` Okta's AWS IAM Identity Center app provisions, per its "Application
 * username format" (Okta app settings, Sign On tab: Okta username, Okta username prefix, Email, Email
 * prefix, Custom). The Identity Center user name is not necessarily the Okta login: a run that looked
 * users up by login alone would find nobody for many orgs, and revoke nothing.
 */
export type UserNameFormat = "oktaUsername" | "oktaUsernamePrefix" | "email" | "emailPrefix" | "custom";

export const USER_NAME_FORMATS: readonly UserNameFormat[] = [
  "oktaUsername",
  "oktaUsernamePrefix",
  "email",
  "emailPrefix",
  "custom",
];

/** How the app names users: a format, and for `custom` a template of Okta profile attributes. */
export interface UserNameMapping {
  format: UserNameFormat;
  /**
   * For `custom`: `{attribute}` placeholders replaced by the Okta profile's values, e.g.
   * `{firstName}.{lastName}@corp.example`. (Okta's own custom format is an Okta Expression Language
   * expression; write the template that gives the same result.)
   */
  template?: string;
}

/** The Okta user fields the formats read. */
export interface NamedOktaUser {
  login: string;
  profile?: Record<string, string | null | undefined>;
}

/** The part before the `@` (the whole value when there is none). */
const prefix = (value: string) => value.slice(0, value.includes("@") ? value.indexOf("@") : value.length);

/** The placeholders of a custom template, e.g. `["firstName", "lastName"]`. */
export function templateAttributes(template: string): string[] {
  return [...template.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => String(m[1]));
}

/**
 * The user name the app gives this Okta user, or `null` when the attributes it needs are missing (an
 * email format for a user without an email, a template attribute the profile lacks).
 */
export function identityCenterUserName(user: NamedOktaUser, mapping: UserNameMapping): string | null {
  const email = user.profile?.email ?? null;
  switch (mapping.format) {
    case "oktaUsername":
      return user.login;
    case "oktaUsernamePrefix":
      return prefix(user.login);
    case "email":
      return email;
    case "emailPrefix":
      return email === null ? null : prefix(email);
    case "custom": {
      const template = mapping.template ?? "";
      let missing = false;
      const name = template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, key: string) => {
        const value = user.profile?.[key] ?? "";
        if (value === "") missing = true;
        return value;
      });
      return missing || name === "" ? null : name;
    }
  }
}

/**
 * Every user name the app could have given this Okta user under any standard format (and the
 * configured one), for telling "Identity Center holds nobody for them" from "Identity Center holds
 * them under a name we did not expect": the second must never read as "nothing to revoke".
 */
export function candidateUserNames(user: NamedOktaUser, mapping: UserNameMapping): string[] {
  const names = USER_NAME_FORMATS.filter((f) => f !== "custom").map((format) =>
    identityCenterUserName(user, { format }),
  );
  names.push(identityCenterUserName(user, mapping));
  return [...new Set(names.filter((n): n is string => n !== null))];
}

/** The mapping a policy's `okta.identityCenterApp` declares. */
export function userNameMappingOf(app: {
  userNameFormat: UserNameFormat;
  userNameTemplate?: string | undefined;
}) {
  const mapping: UserNameMapping = { format: app.userNameFormat };
  if (app.userNameTemplate !== undefined) mapping.template = app.userNameTemplate;
  return mapping;
}
