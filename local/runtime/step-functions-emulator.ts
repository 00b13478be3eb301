import { randomUUID } from "node:crypto";
import { StateMachine } from "aws-local-stepfunctions";
import type { State, StateMachineDefinition } from "../../workflows/asl.ts";
import { type AwsJsonService, AwsServiceError } from "../emulators/aws-json-protocol.ts";
import type { SdkTaskInvoker } from "./sdk-task-invoker.ts";
import { TaskConcurrency } from "./task-concurrency.ts";
import { TaskCrashFaults } from "./task-crash-faults.ts";
import { withAwsTaskTimeouts } from "./task-timeout-default.ts";

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
  /** Task states that take a free task slot before the others waiting (task-concurrency.ts). */
  urgentStates?: ReadonlySet<string>;
}

/**
 * Step Functions' payload quota: "Maximum input or output size for a task, state, or execution:
 * 256 KiB of data as a UTF-8 encoded string" (Step Functions developer guide, Service quotas; the
 * history's StateEnteredEventDetails `input` has a maximum length of 262144). Past it, AWS fails the
 * execution with States.DataLimitExceeded.
 */
export const PAYLOAD_LIMIT_BYTES = 262_144;

/** The largest payload an execution carried: a state's input or output, or a task's result. */
export interface LargestPayload {
  bytes: number;
  state: string;
  what: "input" | "output" | "result";
}

/**
 * One GetExecutionHistory event (API reference, HistoryEvent: `id` numbered from 1, `timestamp`,
 * `type`, `previousEventId`, one `...EventDetails` member).
 */
export interface HistoryEventRecord {
  id: number;
  previousEventId: number;
  type: string;
  timestamp: number;
  [details: string]: unknown;
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
  /** The largest payload seen (UTF-8 bytes of its JSON): what PAYLOAD_LIMIT_BYTES is checked against. */
  largestPayload: LargestPayload;
  /**
   * A partial history: ExecutionStarted, TaskScheduled / TaskSucceeded / TaskFailed of SDK integration
   * tasks (one per attempt), ExecutionSucceeded / ExecutionFailed. AWS also records state, Lambda
   * and Map events; nothing here reads those.
   */
  events: HistoryEventRecord[];
}

/** `arn:aws:states:::aws-sdk:identitystore:deleteGroupMembership` -> `aws-sdk:identitystore`, `deleteGroupMembership`. */
function sdkResource(resource: string): { resourceType: string; resource: string } {
  const at = resource.lastIndexOf(":");
  return { resourceType: resource.slice("arn:aws:states:::".length, at), resource: resource.slice(at + 1) };
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

/** An event without execution data (input, output, parameters), as includeExecutionData: false answers. */
function withoutData(event: HistoryEventRecord): HistoryEventRecord {
  const data = new Set(["input", "output", "parameters"]);
  return Object.fromEntries(
    Object.entries(event).map(([key, value]) =>
      key.endsWith("EventDetails") && typeof value === "object" && value !== null
        ? [key, Object.fromEntries(Object.entries(value).filter(([k]) => !data.has(k)))]
        : [key, value],
    ),
  ) as HistoryEventRecord;
}

/**
 * Step Functions on the laptop: `StartExecution` / `DescribeExecution` / `ListExecutions` /
 * `ListStateMachines` / `GetExecutionHistory` (a partial history, see ExecutionRecord.events) over AWS
 * JSON 1.1, running the very ASL definitions from workflows/ with aws-local-stepfunctions. Lambda
 * Task states run the same handlers in-process; SDK integration tasks call the emulators through the
 * real SDK. A reused execution name fails with ExecutionAlreadyExists, as in AWS. `faults.crashTasks()`
 * makes Lambda Task invocations crash as a dead function does (task-crash-faults.ts). At most
 * `maxConcurrentTasks` Lambda Task invocations run at once, the others wait their turn
 * (task-concurrency.ts: backpressure standing in for Lambda's concurrency).
 */
export function createStepFunctionsEmulator(
  machines: LocalStateMachine[],
  sdkTasks: SdkTaskInvoker,
  onFinished: (execution: ExecutionRecord) => void = () => {},
  options: { maxConcurrentTasks?: number } = {},
) {
  const executions = new Map<string, ExecutionRecord>();
  const aborts = new Map<string, () => void>();
  const faults = new TaskCrashFaults();
  const taskSlots = new TaskConcurrency(options.maxConcurrentTasks);

  const runners = new Map<LocalStateMachine, StateMachine>();
  const createdAt = Date.now() / 1000;
  const start = (machine: LocalStateMachine, name: string, input: string): ExecutionRecord => {
    const executionArn = `${machine.arn.replace(":stateMachine:", ":execution:")}:${name}`;
    // Its tasks wait for a slot by this (task-concurrency.ts: the oldest execution's first).
    const startedAt = Date.now();
    const events: HistoryEventRecord[] = [];
    const record = (type: string, details: Record<string, unknown>) =>
      events.push({
        id: events.length + 1,
        previousEventId: events.length,
        type,
        timestamp: Date.now() / 1000,
        ...details,
      });
    record("ExecutionStarted", { executionStartedEventDetails: { input, roleArn: `${machine.arn}-role` } });
    // An SDK task's attempt, as TaskFailedEventDetails states it: the error Retry/Catch matched on.
    const sdkTask = (resource: string) => async (parameters: unknown) => {
      const named = sdkResource(resource);
      record("TaskScheduled", {
        taskScheduledEventDetails: { ...named, region: "us-east-1", parameters: JSON.stringify(parameters) },
      });
      try {
        const output = await sdkTasks(resource, parameters);
        record("TaskSucceeded", { taskSucceededEventDetails: { ...named, output: JSON.stringify(output) } });
        return output;
      } catch (error) {
        const e = error as Error;
        record("TaskFailed", { taskFailedEventDetails: { ...named, error: e.name, cause: e.message } });
        throw error;
      }
    };
    // Every payload is measured; the first over the quota fails the execution as AWS does.
    let largest: LargestPayload = { bytes: 0, state: "", what: "input" };
    let overLimit: LargestPayload | undefined;
    const measure = (value: unknown, state: string, what: LargestPayload["what"]) => {
      const bytes = Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
      if (bytes > largest.bytes) largest = { bytes, state, what };
      if (bytes > PAYLOAD_LIMIT_BYTES && overLimit === undefined) {
        overLimit = { bytes, state, what };
        execution.abort();
      }
    };
    const overrides: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [stateName, resource] of taskStates(machine.definition.States)) {
      const lambda = taskSlots.around(machine.lambdas[resource], {
        urgent: machine.urgentStates?.has(stateName) ?? false,
        label: stateName,
        rank: startedAt,
      });
      const call =
        lambda === undefined
          ? sdkTask(resource)
          : faults.wrap(lambda, { stateMachineArn: machine.arn, executionArn, stateName, resource });
      overrides[stateName] = async (input) => {
        const result = await call(input);
        measure(result, stateName, "result");
        return result;
      };
    }
    // Validating a definition compiles JSON schemas (~40 ms of CPU): once per machine, not per run.
    let runner = runners.get(machine);
    if (runner === undefined) {
      runner = new StateMachine(withAwsTaskTimeouts(machine.definition) as never, {
        validationOptions: { checkArn: false },
      });
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
    const measured = (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === "StateEntered") measure(event.state.input, event.state.name, "input");
        else if (event.type === "StateExited") measure(event.state.output, event.state.name, "output");
      }
    })();
    const run: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      status: "RUNNING",
      input,
      startDate: new Date(),
      done: Promise.resolve(),
      get largestPayload() {
        return largest;
      },
      events,
    };
    const dataLimitExceeded = (over: LargestPayload) => {
      run.status = "FAILED";
      run.error = "States.DataLimitExceeded";
      run.cause = `The state/task '${over.state}' ${over.what === "input" ? "received an input" : "returned a result"} with a size exceeding the maximum number of bytes service limit (${over.bytes} > ${PAYLOAD_LIMIT_BYTES}).`;
      run.stopDate = new Date();
      record("ExecutionFailed", { executionFailedEventDetails: { error: run.error, cause: run.cause } });
      onFinished(run);
    };
    run.done = execution.result.then(
      async (output) => {
        await measured;
        if (overLimit !== undefined) return dataLimitExceeded(overLimit);
        run.status = "SUCCEEDED";
        run.output = JSON.stringify(output);
        run.stopDate = new Date();
        record("ExecutionSucceeded", { executionSucceededEventDetails: { output: run.output } });
        onFinished(run);
      },
      async (error: Error & { cause?: unknown }) => {
        await measured;
        if (overLimit !== undefined) return dataLimitExceeded(overLimit);
        // aws-local-stepfunctions wraps the failure in an ExecutionError; AWS reports the state's own
        // error name and message (DescribeExecution `error` / `cause`), which alarms and people read.
        const failure = error.name === "ExecutionError" && error.cause instanceof Error ? error.cause : error;
        run.status = "FAILED";
        run.error = failure.name;
        run.cause = failure.message;
        run.stopDate = new Date();
        record("ExecutionFailed", { executionFailedEventDetails: { error: run.error, cause: run.cause } });
        onFinished(run);
      },
    );
    executions.set(executionArn, run);
    return run;
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
    // Step Functions speaks AWS JSON 1.0 (its model's jsonVersion).
    jsonVersion: "1.0",
    operations: {
      StartExecution: (input: { stateMachineArn?: string; name?: string; input?: string }) => {
        const machine = machineFor(input.stateMachineArn);
        const name = input.name ?? randomUUID();
        if (!/^[A-Za-z0-9_-]{1,80}$/.test(name))
          throw new AwsServiceError("InvalidName", `Invalid Name: '${name}'`);
        const body = input.input ?? "{}";
        // API reference, StartExecution: `input` is JSON text of at most 256 KiB (SensitiveData, max
        // 262144); anything else is InvalidExecutionInput.
        if (Buffer.byteLength(body, "utf8") > 262_144)
          throw new AwsServiceError(
            "InvalidExecutionInput",
            "Input exceeds the maximum size of 262144 bytes",
          );
        try {
          JSON.parse(body);
        } catch {
          throw new AwsServiceError(
            "InvalidExecutionInput",
            `Invalid State Machine Execution Input: '${body}'`,
          );
        }
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
        // ExecutionListItem has no input, output, error or cause (model).
        const item = (e: ExecutionRecord) => {
          const { input: _input, output: _output, error: _error, cause: _cause, ...listed } = describe(e);
          return listed;
        };
        return { executions: list.map(item) };
      },
      ListStateMachines: () => ({
        stateMachines: machines.map((m) => ({
          stateMachineArn: m.arn,
          name: m.arn.split(":").pop(),
          type: "STANDARD",
          creationDate: createdAt,
        })),
      }),
      // API reference, GetExecutionHistory: maxResults 1 to 1000 (default 100 here), reverseOrder,
      // nextToken; includeExecutionData false leaves input and output out.
      GetExecutionHistory: (input: {
        executionArn?: string;
        maxResults?: number;
        reverseOrder?: boolean;
        nextToken?: string;
        includeExecutionData?: boolean;
      }) => {
        const e = executions.get(String(input.executionArn));
        if (!e)
          throw new AwsServiceError(
            "ExecutionDoesNotExist",
            `Execution Does Not Exist: '${input.executionArn}'`,
          );
        const ordered = input.reverseOrder ? [...e.events].reverse() : e.events;
        const from = input.nextToken ? Number(Buffer.from(input.nextToken, "base64url").toString()) : 0;
        if (!Number.isInteger(from) || from < 0 || from > ordered.length)
          throw new AwsServiceError("InvalidToken", "Invalid Token");
        const size = input.maxResults && input.maxResults > 0 ? Math.min(input.maxResults, 1000) : 100;
        const page = ordered
          .slice(from, from + size)
          .map((event) => (input.includeExecutionData === false ? withoutData(event) : event));
        const next = from + size;
        return {
          events: page,
          ...(next < ordered.length ? { nextToken: Buffer.from(String(next)).toString("base64url") } : {}),
        };
      },
    },
  };

  return {
    service,
    executions: () => [...executions.values()],
    /** Crash switch for Lambda Task invocations: `faults.crashTasks({ count, when, taskNames?, error? })`. */
    faults,
    /** The bound on Lambda Task invocations running at once, with the peak and queue seen. */
    taskConcurrency: taskSlots,
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
