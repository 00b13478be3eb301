import { randomUUID } from "node:crypto";
import { StateMachine } from "aws-local-stepfunctions";
import type { State, StateMachineDefinition } from "../../workflows/asl.ts";
import { type AwsJsonService, AwsServiceError } from "../emulators/aws-json-protocol.ts";
import type { SdkTaskInvoker } from "./sdk-task-invoker.ts";
import { TaskCrashFaults } from "./task-crash-faults.ts";

/** A local stand-in for a Lambda function: the handler the Task's Resource ARN names. */
export type LocalTaskHandler = (input: unknown) => Promise<unknown>;

export interface LocalStateMachine {
  arn: string;
  definition: StateMachineDefinition;
  /** Task handlers by Resource (Lambda ARN). */
  lambdas: Record<string, LocalTaskHandler>;
  /** Wait state durations to use instead of the definition's, in ms (documented local shortening). */
  waitOverridesMs?: Record<string, number>;
  /** Every Task state's retry interval, in ms, instead of the definition's backoff (local shortening). */
  retryIntervalMs?: number;
}

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: "RUNNING" | "SUCCEEDED" | "FAILED";
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: Date;
  stopDate?: Date;
  done: Promise<void>;
}

/** Every Task state of a definition, Map processors included, with its Resource. */
function taskStates(states: Record<string, State>): [string, string][] {
  return Object.entries(states).flatMap(([name, state]): [string, string][] => {
    if (state.Type === "Task") return [[name, state.Resource]];
    if (state.Type === "Map") return taskStates(state.ItemProcessor.States);
    return [];
  });
}

/** `retryIntervalOverrides` for every Task state when a machine shortens its retries. */
function retryOverrides(machine: LocalStateMachine): { retryIntervalOverrides?: Record<string, number> } {
  const ms = machine.retryIntervalMs;
  if (ms === undefined) return {};
  return {
    retryIntervalOverrides: Object.fromEntries(
      taskStates(machine.definition.States).map(([state]) => [state, ms]),
    ),
  };
}

/**
 * Step Functions on the laptop: `StartExecution` / `DescribeExecution` / `ListExecutions` over AWS
 * JSON 1.1, running the very ASL definitions from workflows/ with aws-local-stepfunctions. Lambda
 * Task states run the same handlers in-process; SDK integration tasks call the emulators through the
 * real SDK. A reused execution name fails with ExecutionAlreadyExists, as in AWS. `faults.crashTasks()`
 * makes Lambda Task invocations crash as a dead function does (task-crash-faults.ts).
 */
export function createStepFunctionsEmulator(
  machines: LocalStateMachine[],
  sdkTasks: SdkTaskInvoker,
  onFinished: (execution: ExecutionRecord) => void = () => {},
) {
  const executions = new Map<string, ExecutionRecord>();
  const aborts = new Map<string, () => void>();
  const faults = new TaskCrashFaults();

  const runners = new Map<LocalStateMachine, StateMachine>();
  const start = (machine: LocalStateMachine, name: string, input: string): ExecutionRecord => {
    const executionArn = `${machine.arn.replace(":stateMachine:", ":execution:")}:${name}`;
    const overrides: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [stateName, resource] of taskStates(machine.definition.States)) {
      const lambda = machine.lambdas[resource];
      overrides[stateName] =
        lambda === undefined
          ? (parameters: unknown) => sdkTasks(resource, parameters)
          : faults.wrap(lambda, { stateMachineArn: machine.arn, executionArn, stateName, resource });
    }
    // Validating a definition compiles JSON schemas (~40 ms of CPU): once per machine, not per run.
    let runner = runners.get(machine);
    if (runner === undefined) {
      runner = new StateMachine(machine.definition as never, { validationOptions: { checkArn: false } });
      runners.set(machine, runner);
    }
    const execution = runner.run(JSON.parse(input), {
      overrides: {
        taskResourceLocalHandlers: overrides as never,
        ...(machine.waitOverridesMs ? { waitTimeOverrides: machine.waitOverridesMs } : {}),
        ...retryOverrides(machine),
      },
      context: { Execution: { Id: executionArn, Name: name, StartTime: new Date().toISOString() } } as never,
      noThrowOnAbort: true,
    });
    aborts.set(executionArn, execution.abort);
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      status: "RUNNING",
      input,
      startDate: new Date(),
      done: Promise.resolve(),
    };
    record.done = execution.result.then(
      (output) => {
        record.status = "SUCCEEDED";
        record.output = JSON.stringify(output);
        record.stopDate = new Date();
        onFinished(record);
      },
      (error: Error & { cause?: unknown }) => {
        // aws-local-stepfunctions wraps the failure in an ExecutionError; AWS reports the state's own
        // error name and message (DescribeExecution `error` / `cause`), which alarms and people read.
        const failure = error.name === "ExecutionError" && error.cause instanceof Error ? error.cause : error;
        record.status = "FAILED";
        record.error = failure.name;
        record.cause = failure.message;
        record.stopDate = new Date();
        onFinished(record);
      },
    );
    executions.set(executionArn, record);
    return record;
  };

  const machineFor = (arn: unknown) => {
    const machine = machines.find((m) => m.arn === arn);
    if (!machine)
      throw new AwsServiceError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${String(arn)}'`);
    return machine;
  };

  const describe = (e: ExecutionRecord) => ({
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    input: e.input,
    startDate: e.startDate.getTime() / 1000,
    ...(e.stopDate ? { stopDate: e.stopDate.getTime() / 1000 } : {}),
    ...(e.output ? { output: e.output } : {}),
    ...(e.error ? { error: e.error, cause: e.cause } : {}),
  });

  const service: AwsJsonService = {
    targetPrefix: "AWSStepFunctions",
    operations: {
      StartExecution: (input: { stateMachineArn?: string; name?: string; input?: string }) => {
        const machine = machineFor(input.stateMachineArn);
        const name = input.name ?? randomUUID();
        if (!/^[A-Za-z0-9_-]{1,80}$/.test(name))
          throw new AwsServiceError("InvalidName", `Invalid Name: '${name}'`);
        const body = input.input ?? "{}";
        const existing = executions.get(`${machine.arn.replace(":stateMachine:", ":execution:")}:${name}`);
        if (existing) {
          // AWS: idempotent only while the first is running with identical input.
          if (existing.status === "RUNNING" && existing.input === body) {
            return { executionArn: existing.executionArn, startDate: existing.startDate.getTime() / 1000 };
          }
          throw new AwsServiceError(
            "ExecutionAlreadyExists",
            `Execution Already Exists: '${existing.executionArn}'`,
          );
        }
        const record = start(machine, name, body);
        return { executionArn: record.executionArn, startDate: record.startDate.getTime() / 1000 };
      },
      DescribeExecution: (input: { executionArn?: string }) => {
        const e = executions.get(String(input.executionArn));
        if (!e)
          throw new AwsServiceError(
            "ExecutionDoesNotExist",
            `Execution Does Not Exist: '${input.executionArn}'`,
          );
        return describe(e);
      },
      ListExecutions: (input: { stateMachineArn?: string; statusFilter?: string }) => {
        machineFor(input.stateMachineArn);
        const list = [...executions.values()].filter(
          (e) =>
            e.stateMachineArn === input.stateMachineArn &&
            (!input.statusFilter || e.status === input.statusFilter),
        );
        return { executions: list.map((e) => ({ ...describe(e), input: undefined })) };
      },
    },
  };

  return {
    service,
    executions: () => [...executions.values()],
    /** Crash switch for Lambda Task invocations: `faults.crashTasks({ count, when, taskNames?, error? })`. */
    faults,
    /** Aborts every running execution (stopping the local stack mid-hold). */
    abortAll: () => {
      for (const e of executions.values()) if (e.status === "RUNNING") aborts.get(e.executionArn)?.();
    },
    /** Resolves once every execution started so far has finished. */
    idle: async () => {
      let pending = [...executions.values()].filter((e) => e.status === "RUNNING");
      while (pending.length > 0) {
        await Promise.all(pending.map((e) => e.done));
        pending = [...executions.values()].filter((e) => e.status === "RUNNING");
      }
    },
  };
}
