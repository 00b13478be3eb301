import type { IdFactory } from "./ids.ts";
import type { OrganizationsLimits } from "./options.ts";
import type { OrganizationsState } from "./state.ts";

/** What every operation works with. */
export interface OperationContext {
  state: OrganizationsState;
  limits: OrganizationsLimits;
  ids: IdFactory;
  now: () => number;
}

/** Epoch seconds, the JSON 1.1 timestamp format the SDK deserializes. */
export const epochSeconds = (ms: number) => ms / 1000;
