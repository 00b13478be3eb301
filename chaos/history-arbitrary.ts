import fc from "fast-check";
import { CHAOS_GROUPS, CHAOS_JOINERS, CHAOS_POLICY_VARIANTS, CHAOS_USERS } from "./chaos-estate.ts";
import type { Fault, Step } from "./scenario.ts";

// Mostly the people who exist from the start; sometimes a joiner (refused until hired, like Okta would).
const user = fc.oneof(
  { arbitrary: fc.constantFrom(...CHAOS_USERS), weight: 4 },
  { arbitrary: fc.constantFrom(...CHAOS_JOINERS), weight: 1 },
);
const group = fc.constantFrom(...CHAOS_GROUPS);
const rate = fc.constantFrom(0.3, 0.6, 1);
const forMs = fc.integer({ min: 100, max: 2_500 });

/** Every fault kind of issue 8, with bounded strength and duration. */
export const faultArbitrary: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ kind: fc.constant("ic-throttle" as const), rate, forMs }),
  fc.record({ kind: fc.constant("ic-5xx" as const), rate, forMs }),
  fc.record({ kind: fc.constant("ic-failed-operations" as const), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant("okta-429" as const), rate, forMs }),
  fc.record({ kind: fc.constant("okta-5xx" as const), rate, forMs }),
  fc.record({ kind: fc.constant("hook-drop" as const), rate, forMs }),
  fc.record({ kind: fc.constant("hook-duplicate" as const), rate, forMs }),
  fc.record({
    kind: fc.constant("hook-delay" as const),
    maxDelayMs: fc.integer({ min: 50, max: 1_500 }),
    forMs,
  }),
  fc.record({
    kind: fc.constant("task-crash" as const),
    count: fc.integer({ min: 1, max: 3 }),
    when: fc.constantFrom("before" as const, "after" as const),
  }),
  fc.record({ kind: fc.constant("evidence-outage" as const), forMs: fc.integer({ min: 100, max: 1_500 }) }),
);

/** One step: mostly lifecycle changes and faults, sometimes a pause or a policy edit. */
export const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: fc.record({ op: fc.constantFrom("deactivate" as const, "suspend" as const), user }),
    weight: 4,
  },
  { arbitrary: fc.record({ op: fc.constant("delete" as const), user }), weight: 1 },
  {
    arbitrary: fc.record({ op: fc.constantFrom("activate" as const, "unsuspend" as const), user }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      op: fc.constantFrom("add-to-group" as const, "remove-from-group" as const),
      user,
      group,
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("join" as const),
      user: fc.constantFrom(...CHAOS_JOINERS),
      groups: fc.uniqueArray(group, { minLength: 1, maxLength: 2 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("policy" as const),
      variant: fc.integer({ min: 0, max: CHAOS_POLICY_VARIANTS - 1 }),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ op: fc.constant("fault" as const), fault: faultArbitrary }), weight: 4 },
  {
    arbitrary: fc.record({ op: fc.constant("wait" as const), ms: fc.integer({ min: 20, max: 800 }) }),
    weight: 2,
  },
);

/** A history: one to `maxSteps` steps. */
export const historyArbitrary = (maxSteps = 16): fc.Arbitrary<Step[]> =>
  fc.array(stepArbitrary, { minLength: 1, maxLength: maxSteps });
