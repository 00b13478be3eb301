import type { OktaUser } from "../../core/estate.ts";
import {
  identityCenterUserName,
  USER_NAME_FORMATS,
  type UserNameFormat,
} from "../../core/identity/user-name-format.ts";
import type { DirectorySample } from "./directory-sample.ts";

/** The standard formats a probe can recognise (a custom template cannot be guessed). */
export type ObservableFormat = Exclude<UserNameFormat, "custom">;
const FORMATS = USER_NAME_FORMATS.filter((f): f is ObservableFormat => f !== "custom");

/** How the AWS IAM Identity Center app names the users it provisions, as the sample shows it. */
export interface UserNameMappingObservation {
  /** Identity store users compared. */
  sampled: number;
  /** Per format: how many sampled users' UserName it reproduces from some Okta user. */
  formats: Record<ObservableFormat, number>;
  /** The format that reproduces the most user names (ties: the first in USER_NAME_FORMATS). */
  best?: ObservableFormat;
  /** Sampled users whose UserName no standard format reproduces (a custom format, or not from Okta). */
  unmatched: number;
  /** External id issuers whose id is an Okta user id, and how many users carry one. */
  externalIdIssuers: { issuer: string; oktaIds: number }[];
  /** The policy setting that matches (okta.identityCenterApp.userNameFormat), in words. */
  summary: string;
}

/**
 * Compares identity store UserNames and ExternalIds with Okta's users under each standard format of
 * core/identity/user-name-format.ts. Several formats give the same name when login = email: each
 * counts, so the summary names every format that matches as well as the best.
 */
export function observeUserNameMapping(sample: DirectorySample): UserNameMappingObservation {
  const byName = new Map<ObservableFormat, Set<string>>(
    FORMATS.map((format) => [
      format,
      new Set(
        sample.oktaUsers
          .map((u: OktaUser) => identityCenterUserName(u, { format }))
          .filter((n): n is string => n !== null),
      ),
    ]),
  );
  const formats = Object.fromEntries(FORMATS.map((f) => [f, 0])) as Record<ObservableFormat, number>;
  let unmatched = 0;
  for (const user of sample.identityStoreUsers) {
    const hits = FORMATS.filter((f) => user.userName !== undefined && byName.get(f)?.has(user.userName));
    for (const f of hits) formats[f]++;
    if (hits.length === 0) unmatched++;
  }
  const oktaIds = new Set(sample.oktaUsers.map((u) => u.id));
  const issuers = new Map<string, number>();
  for (const user of sample.identityStoreUsers)
    for (const e of user.externalIds)
      if (oktaIds.has(e.id)) issuers.set(e.issuer, (issuers.get(e.issuer) ?? 0) + 1);
  const top = Math.max(0, ...Object.values(formats));
  const best = top > 0 ? FORMATS.find((f) => formats[f] === top) : undefined;
  const tied = FORMATS.filter((f) => formats[f] === top && top > 0);
  const sampled = sample.identityStoreUsers.length;
  const summary =
    sampled === 0
      ? "no identity store users to compare"
      : best === undefined
        ? `none of ${sampled} user names is a standard format of an Okta user: a custom format (userNameFormat: custom) or users not provisioned by Okta`
        : `${top} of ${sampled} user names match ${tied.join(" = ")}${tied.length > 1 ? " (the same names in this org)" : ""}: userNameFormat: ${best}`;
  return {
    sampled,
    formats,
    ...(best ? { best } : {}),
    unmatched,
    externalIdIssuers: [...issuers].map(([issuer, n]) => ({ issuer, oktaIds: n })),
    summary,
  };
}
