import fc from "fast-check";
import { LIFECYCLE_EVENT_TYPES } from "../../../core/okta/event-types.ts";
import { AWS_APP_ID } from "./okta-fixtures.ts";

/** A small id pool, so that repeated and conflicting targets happen often. */
const idArb = fc.constantFrom("00uA", "00uB", "00gA", "0oaOther", AWS_APP_ID, "");

const nullish = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.constant(null), fc.constant(undefined));

/** A raw `target[]` entry: any mix of types, missing ids, nulls, changeDetails. */
export const rawTargetArb = fc.record(
  {
    id: nullish(idArb),
    type: nullish(fc.constantFrom("User", "UserGroup", "AppInstance", "AppUser", "AuthenticatorEnrollment")),
    alternateId: nullish(fc.constantFrom("a@example.com", "b@example.com", "unknown", "")),
    displayName: nullish(fc.constantFrom("Jane", "aws-admins", "AWS IAM Identity Center", "")),
    changeDetails: nullish(
      fc.record({
        from: fc.dictionary(fc.string(), fc.jsonValue()),
        to: fc.dictionary(fc.string(), fc.jsonValue()),
      }),
    ),
  },
  { requiredKeys: [] },
);

/** A raw LogEvent that passes the schema: the strict fields are valid, everything else varies. */
export const rawLogEventArb = fc.record(
  {
    uuid: fc.string({ minLength: 1 }),
    eventType: fc.constantFrom(
      ...LIFECYCLE_EVENT_TYPES,
      "user.session.start",
      "constructor",
      "group.lifecycle.create",
    ),
    published: fc
      .date({
        min: new Date("2000-01-01T00:00:00Z"),
        max: new Date("2100-01-01T00:00:00Z"),
        noInvalidDate: true,
      })
      .map((date) => date.toISOString()),
    outcome: nullish(
      fc.record(
        {
          result: nullish(fc.constantFrom("SUCCESS", "Success", "success", "FAILURE", "SKIPPED")),
          reason: nullish(fc.string()),
        },
        { requiredKeys: [] },
      ),
    ),
    actor: nullish(
      fc.oneof(fc.jsonValue(), fc.record({ id: nullish(idArb), type: nullish(fc.constantFrom("User", "")) })),
    ),
    target: nullish(fc.array(fc.oneof(rawTargetArb, fc.constant(null)), { maxLength: 6 })),
    debugContext: nullish(
      fc.record({
        debugData: nullish(
          fc.record({
            changedAttributes: nullish(fc.oneof(fc.string(), fc.array(fc.string()), fc.jsonValue())),
          }),
        ),
      }),
    ),
    client: nullish(fc.jsonValue()),
    request: nullish(fc.jsonValue()),
  },
  { requiredKeys: ["uuid", "eventType", "published"] },
);

/** Provisioning app id configurations: none, the AWS app, another app, both. */
export const appIdsArb = fc.subarray([AWS_APP_ID, "0oaOther", "0oaThird"]);
