import { z } from "zod";

/** Okta user statuses (Users API). */
export const oktaUserStatusSchema = z.enum([
  "STAGED",
  "PROVISIONED",
  "ACTIVE",
  "RECOVERY",
  "PASSWORD_EXPIRED",
  "LOCKED_OUT",
  "SUSPENDED",
  "DEPROVISIONED",
]);

/** The fields of a User object the adapter relies on; everything else is tolerated. */
export const oktaUserSchema = z.looseObject({
  id: z.string().min(1),
  status: oktaUserStatusSchema,
  /** Set while an asynchronous status change completes (User.transitioningToStatus in the spec). */
  transitioningToStatus: oktaUserStatusSchema.nullish(),
  profile: z.looseObject({ login: z.string().min(1) }),
});

/** The fields of a Group object the adapter relies on. */
export const oktaGroupSchema = z.looseObject({
  id: z.string().min(1),
  /** Management spec `GroupType`: `APP_GROUP`s are imported from AD or LDAP and may share a name. */
  type: z.enum(["OKTA_GROUP", "APP_GROUP", "BUILT_IN"]).optional().catch(undefined),
  profile: z.looseObject({ name: z.string().min(1) }),
  /** Present with `expand=stats`: the group's member count (management spec, Group._embedded.stats). */
  _embedded: z
    .looseObject({ stats: z.looseObject({ usersCount: z.number().int().min(0).optional() }).optional() })
    .optional(),
});

/** A System Log page: an array; each LogEvent is validated later, one by one, by core/okta. */
export const logPageSchema = z.array(z.unknown());

/** Okta's error object, read leniently (error bodies are for messages, never for control flow but the code). */
export const oktaErrorBodySchema = z.looseObject({
  errorCode: z.string().optional().catch(undefined),
  errorSummary: z.string().optional().catch(undefined),
  errorId: z.string().optional().catch(undefined),
  errorCauses: z
    .array(z.looseObject({ errorSummary: z.string().optional().catch(undefined) }))
    .optional()
    .catch(undefined),
});

export type RawOktaUser = z.output<typeof oktaUserSchema>;
export type RawOktaGroup = z.output<typeof oktaGroupSchema>;

/** The fields of an `AssignedAppLink` (GET /api/v1/users/{userId}/appLinks) the adapter relies on. */
export const assignedAppLinkSchema = z.looseObject({
  appInstanceId: z.string().min(1),
  appName: z.string(),
  label: z.string().optional(),
});
