import type { AwsBehaviourSwitches } from "../aws-behaviour-switches.ts";
import type { IdFactory } from "./ids.ts";
import type { OrganizationsLimits } from "./options.ts";
import type { OrganizationsState } from "./state.ts";

/** What every operation works with. */
export interface OperationContext {
  state: OrganizationsState;
  limits: OrganizationsLimits;
  /** Undocumented AWS answers, one switch each; read at call time (tests change them at runtime). */
  behaviour: AwsBehaviourSwitches;
  ids: IdFactory;
  now: () => number;
  /** Receives a CreateAccount's final status (CreateAccountStatus JSON) when it completes. */
  onCreateAccountCompleted?: (status: Record<string, unknown>) => void;
}

/** Epoch seconds, the JSON 1.1 timestamp format the SDK deserializes. */
export const epochSeconds = (ms: number) => ms / 1000;
