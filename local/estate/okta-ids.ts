import { createHash } from "node:crypto";
import type {
  EstateFile,
  EstateOktaAppGroupData,
  EstateOktaData,
  EstateOktaGroupData,
  EstateOktaUserData,
} from "./schema.ts";

/** An estate whose Okta users and groups all have ids. */
export type EstateWithOktaIds = Omit<EstateFile, "okta"> & {
  okta: Omit<EstateOktaData, "users" | "groups" | "appGroups"> & {
    users: (EstateOktaUserData & { id: string })[];
    groups: (EstateOktaGroupData & { id: string })[];
    appGroups: (EstateOktaAppGroupData & { id: string })[];
  };
};

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * An Okta-shaped id (`00u` or `00g` and 17 letters or digits) derived from a seed: the same login or
 * group name always gets the same id, so an estate without ids still loads to the same world.
 */
export function derivedOktaId(prefix: "00u" | "00g", seed: string): string {
  const digest = createHash("sha256").update(`${prefix}:${seed}`).digest();
  let id = prefix;
  for (const byte of digest.subarray(0, 17)) id += BASE62[byte % 62];
  return id;
}

/**
 * Fills in the ids the estate leaves out: a user's from its login (case-insensitively, as Okta
 * compares logins), a group's from its name, an APP_GROUP's from its source app and name (its name
 * may be an OKTA_GROUP's). Ids written in the file are kept.
 */
export function withOktaIds(estate: EstateFile): EstateWithOktaIds {
  return {
    ...estate,
    okta: {
      ...estate.okta,
      users: estate.okta.users.map((user) => ({
        ...user,
        id: user.id ?? derivedOktaId("00u", user.login.toLowerCase()),
      })),
      groups: estate.okta.groups.map((group) => ({
        ...group,
        id: group.id ?? derivedOktaId("00g", group.name),
      })),
      appGroups: estate.okta.appGroups.map((group) => ({
        ...group,
        id: group.id ?? derivedOktaId("00g", `${group.sourceAppId}/${group.name}`),
      })),
    },
  };
}
