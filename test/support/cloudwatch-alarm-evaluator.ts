/**
 * A CloudWatch alarm evaluator for tests: given an alarm as infra/alarms.ts declares it (the
 * `aws.cloudwatch.MetricAlarm` arguments) and sample datapoints, it says which state CloudWatch would
 * put the alarm in, evaluation after evaluation. It models what the Amazon CloudWatch User Guide says,
 * and refuses (throws) what it does not model, so a test can never pass on an unmodelled feature:
 *
 * - Statistics per period ("CloudWatch statistics definitions"): Sum, Maximum, Minimum, Average,
 *   SampleCount over the samples whose timestamp falls in the period; a period without samples has no
 *   datapoint (missing).
 * - Metric math ("Using metric math"): `+ - * /`, scalars, `[a, b]` arrays, `SUM([..])` of an array of
 *   time series, `FILL(ts, scalar)` which gives every period of the evaluation range a value.
 *   Arithmetic between time series with a missing value: the guide says "Missing values in a time
 *   series are treated as 0"; issue 15 reports `a + b` dropping timestamps where a series has none.
 *   Both are modelled ({@link EvaluatorBehaviour.missingInArithmetic}) so an alarm can be shown right
 *   under each.
 * - Alarm evaluation ("Using Amazon CloudWatch alarms", "How alarm state is evaluated when data is
 *   missing"): CloudWatch retrieves an evaluation range longer than Evaluation Periods (its example:
 *   5 datapoints for 3 periods; {@link EvaluatorBehaviour.extraPeriodsRetrieved}); with at least N
 *   existing datapoints it evaluates the most recent N; with fewer, `notBreaching` / `breaching` fill
 *   the rest as good / bad, and `ignore` retains the current state when nothing decides it (the
 *   guide's tables). `missing` (the default) is not modelled: no alarm here uses it.
 * Periods are aligned to multiples of the period from the epoch; an evaluation at time `t` sees the
 * periods that ended at or before `t`.
 */

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

/** The `aws.cloudwatch.MetricAlarm` arguments the evaluator reads. */
export interface AlarmArgs {
  comparisonOperator: string;
  threshold: number;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  treatMissingData?: string;
  metricName?: string;
  statistic?: string;
  period?: number;
  metricQueries?: {
    id: string;
    expression?: string;
    returnData?: boolean;
    metric?: { metricName: string; period: number; stat: string };
  }[];
}

/** Raw samples per metric name: `[epoch seconds, value]`. */
export type Samples = Record<string, readonly (readonly [number, number])[]>;

export interface EvaluatorBehaviour {
  /** `zero`: as the guide says; `drop`: a timestamp missing in any operand has no result. */
  missingInArithmetic: "zero" | "drop";
  /** Datapoints retrieved beyond Evaluation Periods. @default 2 (the guide's 3 -> 5 example) */
  extraPeriodsRetrieved?: number;
}

/** Thrown for an alarm feature the evaluator does not model. */
export class UnmodelledAlarmFeatureError extends Error {
  override name = "UnmodelledAlarmFeatureError";
}

type Series = Map<number, number>;
type Value = number | Series | Series[];

const STATISTICS: Record<string, (values: number[]) => number> = {
  Sum: (v) => v.reduce((a, b) => a + b, 0),
  Maximum: (v) => Math.max(...v),
  Minimum: (v) => Math.min(...v),
  Average: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  SampleCount: (v) => v.length,
};

const COMPARISONS: Record<string, (value: number, threshold: number) => boolean> = {
  GreaterThanThreshold: (v, t) => v > t,
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};

/** One metric's datapoints per period start, over the periods `[from, to)`. */
function aggregate(samples: Samples, metricName: string, stat: string, period: number, range: number[]) {
  const statistic = STATISTICS[stat];
  if (statistic === undefined) throw new UnmodelledAlarmFeatureError(`statistic ${stat}`);
  const series: Series = new Map();
  for (const start of range) {
    const values = (samples[metricName] ?? [])
      .filter(([t]) => t >= start && t < start + period)
      .map(([, v]) => v);
    if (values.length > 0) series.set(start, statistic(values));
  }
  return series;
}

/** A tiny metric math interpreter over the modelled subset. */
function evaluateExpression(
  expression: string,
  series: Record<string, Series>,
  range: number[],
  behaviour: EvaluatorBehaviour,
): Series {
  const tokens = expression
    .match(/\s*([A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|[-+*/(),[\]])/g)
    ?.map((t) => t.trim());
  if (tokens === undefined || tokens.join("") !== expression.replace(/\s+/g, ""))
    throw new UnmodelledAlarmFeatureError(`expression ${expression}`);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (token === undefined || (expected !== undefined && token !== expected))
      throw new UnmodelledAlarmFeatureError(
        `expression ${expression}: expected ${expected ?? "more"} at ${at}`,
      );
    return token;
  };
  const combine = (a: Value, b: Value, op: (x: number, y: number) => number): Value => {
    if (typeof a === "number" && typeof b === "number") return op(a, b);
    if (Array.isArray(a) || Array.isArray(b)) throw new UnmodelledAlarmFeatureError("arithmetic on arrays");
    const out: Series = new Map();
    const stamps =
      typeof a === "number" ? [...(b as Series).keys()] : typeof b === "number" ? [...a.keys()] : range;
    for (const t of stamps) {
      const x = typeof a === "number" ? a : a.get(t);
      const y = typeof b === "number" ? b : b.get(t);
      if (x === undefined && y === undefined) continue;
      if ((x === undefined || y === undefined) && behaviour.missingInArithmetic === "drop") continue;
      out.set(t, op(x ?? 0, y ?? 0));
    }
    return out;
  };
  const ops: Record<string, (x: number, y: number) => number> = {
    "+": (x, y) => x + y,
    "-": (x, y) => x - y,
    "*": (x, y) => x * y,
    "/": (x, y) => x / y,
  };
  const call = (name: string, args: Value[]): Value => {
    if (name === "FILL") {
      const [ts, filler] = args;
      if (!(ts instanceof Map) || typeof filler !== "number")
        throw new UnmodelledAlarmFeatureError("FILL form");
      return new Map(range.map((t) => [t, ts.get(t) ?? filler]));
    }
    if (name === "SUM") {
      const [array] = args;
      if (!Array.isArray(array)) throw new UnmodelledAlarmFeatureError("SUM of a single time series");
      const out: Series = new Map();
      for (const t of range) {
        const values = array.map((s) => s.get(t));
        const present = values.filter((v): v is number => v !== undefined);
        if (present.length === 0) continue;
        if (present.length < values.length && behaviour.missingInArithmetic === "drop") continue;
        out.set(
          t,
          present.reduce((a, b) => a + b, 0),
        );
      }
      return out;
    }
    throw new UnmodelledAlarmFeatureError(`function ${name}`);
  };
  const factor = (): Value => {
    const token = take();
    if (token === "-") return combine(0, factor(), (x, y) => x - y);
    if (token === "(") {
      const value = sum();
      take(")");
      return value;
    }
    if (token === "[") {
      const items = [sum()];
      while (peek() === ",") {
        take(",");
        items.push(sum());
      }
      take("]");
      if (!items.every((i) => i instanceof Map)) throw new UnmodelledAlarmFeatureError("array of non-series");
      return items as Series[];
    }
    if (/^\d/.test(token)) return Number(token);
    if (peek() === "(") {
      take("(");
      const args = [sum()];
      while (peek() === ",") {
        take(",");
        args.push(sum());
      }
      take(")");
      return call(token, args);
    }
    const ts = series[token];
    if (ts === undefined) throw new UnmodelledAlarmFeatureError(`unknown id ${token}`);
    return ts;
  };
  const product = (): Value => {
    let value = factor();
    while (peek() === "*" || peek() === "/") {
      const op = ops[take()] as (x: number, y: number) => number;
      value = combine(value, factor(), op);
    }
    return value;
  };
  function sum(): Value {
    let value = product();
    while (peek() === "+" || peek() === "-") {
      const op = ops[take()] as (x: number, y: number) => number;
      value = combine(value, product(), op);
    }
    return value;
  }
  const result = sum();
  if (at !== tokens.length) throw new UnmodelledAlarmFeatureError(`expression ${expression}: trailing input`);
  if (!(result instanceof Map)) throw new UnmodelledAlarmFeatureError("an alarm needs one time series");
  return result;
}

/** The alarm's datapoints (period start -> value) over `range`. */
function alarmSeries(alarm: AlarmArgs, samples: Samples, range: number[], behaviour: EvaluatorBehaviour) {
  if (alarm.metricQueries === undefined) {
    if (alarm.metricName === undefined || alarm.statistic === undefined || alarm.period === undefined)
      throw new UnmodelledAlarmFeatureError("an alarm without metricName, statistic and period");
    return aggregate(samples, alarm.metricName, alarm.statistic, alarm.period, range);
  }
  const metrics: Record<string, Series> = {};
  for (const q of alarm.metricQueries)
    if (q.metric)
      metrics[q.id] = aggregate(samples, q.metric.metricName, q.metric.stat, q.metric.period, range);
  const returned = alarm.metricQueries.filter((q) => q.returnData);
  if (returned.length !== 1 || returned[0]?.expression === undefined)
    throw new UnmodelledAlarmFeatureError("an alarm returns exactly one expression");
  return evaluateExpression(returned[0].expression, metrics, range, behaviour);
}

function periodOf(alarm: AlarmArgs): number {
  const periods = new Set(
    alarm.metricQueries
      ? alarm.metricQueries.flatMap((q) => (q.metric ? [q.metric.period] : []))
      : [alarm.period],
  );
  const [period] = [...periods];
  if (periods.size !== 1 || period === undefined)
    throw new UnmodelledAlarmFeatureError(
      "every metric of an alarm has the same period (CloudWatch requires it)",
    );
  return period;
}

/**
 * The alarm's state after each evaluation at `times` (epoch seconds, ascending), starting from
 * `initial` (a new alarm starts in INSUFFICIENT_DATA).
 */
export function evaluateAlarm(
  alarm: AlarmArgs,
  samples: Samples,
  times: readonly number[],
  behaviour: EvaluatorBehaviour,
  initial: AlarmState = "INSUFFICIENT_DATA",
): AlarmState[] {
  const period = periodOf(alarm);
  const n = alarm.evaluationPeriods;
  const m = alarm.datapointsToAlarm ?? n;
  const mode = alarm.treatMissingData ?? "missing";
  if (!["notBreaching", "breaching", "ignore"].includes(mode))
    throw new UnmodelledAlarmFeatureError(`treatMissingData ${mode}`);
  const breaches = COMPARISONS[alarm.comparisonOperator];
  if (breaches === undefined) throw new UnmodelledAlarmFeatureError(`comparison ${alarm.comparisonOperator}`);
  let state = initial;
  return times.map((t) => {
    const lastEnd = Math.floor(t / period) * period;
    const count = n + (behaviour.extraPeriodsRetrieved ?? 2);
    const range = Array.from({ length: count }, (_, i) => lastEnd - (count - i) * period);
    const series = alarmSeries(alarm, samples, range, behaviour);
    const present = range.flatMap((start) => {
      const v = series.get(start);
      return v === undefined ? [] : [breaches(v, alarm.threshold)];
    });
    if (present.length >= n) {
      state = present.slice(-n).filter(Boolean).length >= m ? "ALARM" : "OK";
    } else if (mode === "ignore") {
      const breaching = present.filter(Boolean).length;
      if (breaching >= m) state = "ALARM";
      else if (present.some((b) => !b)) state = "OK";
      // otherwise nothing decides it: the current state is retained
    } else {
      const filled = [...present, ...Array<boolean>(n - present.length).fill(mode === "breaching")];
      state = filled.filter(Boolean).length >= m ? "ALARM" : "OK";
    }
    return state;
  });
}
