import type { State, StateMachineDefinition } from "../../workflows/asl.ts";

/**
 * The Task timeout AWS applies when a state sets none: "If not provided, the default value is
 * 99999999. The count begins after the task has been started, for example, when ActivityStarted or
 * LambdaFunctionStarted are logged in the Execution event history" (Step Functions developer guide,
 * "Task workflow state", TimeoutSeconds). aws-local-stepfunctions uses the States Language spec's 60 s
 * instead, counted from the moment it calls the local handler, so a task waiting its turn
 * (task-concurrency.ts) would time out for waiting. Node's timers hold at most 2^31-1 ms (about 24.8
 * days; a longer one fires at once), so that is the local stand-in for 99999999 s: never, in practice.
 */
export const LOCAL_DEFAULT_TASK_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

function withDefault(states: Record<string, State>): Record<string, State> {
  return Object.fromEntries(
    Object.entries(states).map(([name, state]): [string, State] => {
      if (state.Type === "Task" && state.TimeoutSeconds === undefined)
        return [name, { ...state, TimeoutSeconds: LOCAL_DEFAULT_TASK_TIMEOUT_SECONDS }];
      if (state.Type === "Map")
        return [
          name,
          {
            ...state,
            ItemProcessor: { ...state.ItemProcessor, States: withDefault(state.ItemProcessor.States) },
          },
        ];
      return [name, state];
    }),
  );
}

/** The definition as the local interpreter runs it: every Task without a TimeoutSeconds gets AWS's "none". */
export function withAwsTaskTimeouts(definition: StateMachineDefinition): StateMachineDefinition {
  return { ...definition, States: withDefault(definition.States) };
}
