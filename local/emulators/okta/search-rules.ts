import type { FilterRules, Operator } from "./scim-filter.ts";

/**
 * What `filter=` and `search=` accept on the Users and Groups list operations, as the management spec's
 * parameter descriptions say (operations `listUsers` and `listGroups`; vendored in
 * test/fixtures/okta/spec/list-parameters.json). Anything else is 400 E0000031.
 */

const EQ: readonly Operator[] = ["eq"];
/** Date properties: `eq` and the inequalities (the spec's `lastUpdated gt "..."` examples). */
const DATES: readonly Operator[] = ["eq", "gt", "ge", "lt", "le"];
/**
 * `search`: "filtered by the following operators: `sw`, `eq`, and `co`" (`co` on a few profile
 * attributes only), and the examples compare dates with `gt` / `lt`; "The `ne` (not equal) operator
 * isn't supported". `pr` is in Okta's filter operators (developer.okta.com/docs/api/#operators).
 */
const SEARCH: readonly Operator[] = ["eq", "sw", "gt", "ge", "lt", "le", "pr"];
const SEARCH_CO: readonly Operator[] = [...SEARCH, "co"];

/**
 * listUsers `filter`: "supports the following limited number of properties: `status`, `lastUpdated`,
 * `id`, `profile.login`, `profile.email`, `profile.firstName`, and `profile.lastName`", "only the equal
 * `eq` operator ..., except in the case of the `lastUpdated` property" (also `gt`, `ge`, `lt`, `le`).
 */
export const USER_FILTER: FilterRules = {
  attributes: {
    status: EQ,
    lastUpdated: DATES,
    id: EQ,
    "profile.login": EQ,
    "profile.email": EQ,
    "profile.firstName": EQ,
    "profile.lastName": EQ,
  },
};

/**
 * listUsers `search`: "Any user profile attribute", "The top-level properties: `id`, `status`,
 * `created`, `activated`, `statusChanged`, and `lastUpdated`", "The user type ... accessed as
 * `type.id`"; `co` only with `profile.firstName`, `profile.lastName`, `profile.email`, `profile.login`.
 */
export const USER_SEARCH: FilterRules = {
  attributes: {
    id: SEARCH,
    status: SEARCH,
    created: SEARCH,
    activated: SEARCH,
    statusChanged: SEARCH,
    lastUpdated: SEARCH,
    "type.id": SEARCH,
    "profile.firstName": SEARCH_CO,
    "profile.lastName": SEARCH_CO,
    "profile.email": SEARCH_CO,
    "profile.login": SEARCH_CO,
  },
  prefixes: { "profile.": SEARCH },
};

/**
 * listGroups `filter`: "supports the following limited number of properties: `id`, `type`,
 * `lastUpdated`, and `lastMembershipUpdated`" (dates compared with `gt` / `lt` in the examples). Not the
 * name: a group is found by name with `search` (or `q`).
 */
export const GROUP_FILTER: FilterRules = {
  attributes: { id: EQ, type: EQ, lastUpdated: DATES, lastMembershipUpdated: DATES },
};

/**
 * listGroups `search`: "all properties except for `_embedded`, `_links`, and `objectClass`": any group
 * profile attribute, `id`, `created`, `lastMembershipUpdated`, `lastUpdated`, `type`, and `source.id`;
 * `co` only with `profile.name` and `profile.description`.
 */
export const GROUP_SEARCH: FilterRules = {
  attributes: {
    id: SEARCH,
    created: SEARCH,
    lastMembershipUpdated: SEARCH,
    lastUpdated: SEARCH,
    type: SEARCH,
    "source.id": SEARCH,
    "profile.name": SEARCH_CO,
    "profile.description": SEARCH_CO,
  },
  prefixes: { "profile.": SEARCH },
};
