import type { CallerResolver } from "./caller.ts";
import type { IamIds } from "./ids.ts";
import type { IamState } from "./state.ts";

/** What every IAM and STS operation works with. */
export interface IamContext {
  state: IamState;
  ids: IamIds;
  now: () => number;
  caller: CallerResolver;
}
