/**
 * Just enough Amazon States Language (JSONPath) typing to write definitions as checked TypeScript
 * rather than untyped JSON blobs. Field names are ASL's own.
 */
export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: "FULL" | "NONE";
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}

type Flow = { Next: string; End?: never } | { End: true; Next?: never };
type Paths = { InputPath?: string; OutputPath?: string; Comment?: string };

export type TaskState = Paths &
  Flow & {
    Type: "Task";
    Resource: string;
    Parameters?: Record<string, unknown>;
    ResultSelector?: Record<string, unknown>;
    ResultPath?: string | null;
    Retry?: Retrier[];
    Catch?: Catcher[];
    TimeoutSeconds?: number;
  };

export type PassState = Paths &
  Flow & { Type: "Pass"; Result?: unknown; Parameters?: Record<string, unknown>; ResultPath?: string | null };
export type WaitState = Paths &
  Flow & { Type: "Wait"; Seconds?: number; SecondsPath?: string; Timestamp?: string; TimestampPath?: string };

export interface ChoiceRule {
  Variable: string;
  StringEquals?: string;
  IsPresent?: boolean;
  BooleanEquals?: boolean;
  NumericGreaterThanEquals?: number;
  IsNull?: boolean;
  Next: string;
}
export type ChoiceState = Paths & { Type: "Choice"; Choices: ChoiceRule[]; Default?: string };
export type SucceedState = Paths & { Type: "Succeed" };
export type FailState = { Type: "Fail"; Error?: string; Cause?: string; Comment?: string };

export type MapState = Paths &
  Flow & {
    Type: "Map";
    ItemsPath: string;
    ItemSelector?: Record<string, unknown>;
    MaxConcurrency?: number;
    ItemProcessor: {
      ProcessorConfig?: { Mode: "INLINE" | "DISTRIBUTED"; ExecutionType?: "STANDARD" | "EXPRESS" };
      StartAt: string;
      States: Record<string, State>;
    };
    ResultPath?: string | null;
    Retry?: Retrier[];
    Catch?: Catcher[];
  };

export type State = TaskState | PassState | WaitState | ChoiceState | SucceedState | FailState | MapState;

export interface StateMachineDefinition {
  Comment?: string;
  StartAt: string;
  States: Record<string, State>;
  TimeoutSeconds?: number;
}

/** The Resource of an AWS SDK integration task (`arn:aws:states:::aws-sdk:<service>:<action>`). */
export const sdk = (service: string, action: string) => `arn:aws:states:::aws-sdk:${service}:${action}`;
