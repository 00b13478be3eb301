import { describe, expect, it } from "vitest";
import {
  type AlarmArgs,
  type AlarmState,
  evaluateAlarm,
  UnmodelledAlarmFeatureError,
} from "../../support/cloudwatch-alarm-evaluator.ts";

const PERIOD = 300;
const T0 = 1_800_000_000 - (1_800_000_000 % PERIOD);
const alarm = (overrides: Partial<AlarmArgs>): AlarmArgs => ({
  comparisonOperator: "GreaterThanOrEqualToThreshold",
  threshold: 1,
  evaluationPeriods: 3,
  metricName: "Errors",
  statistic: "Maximum",
  period: PERIOD,
  ...overrides,
});
/** Five periods written as the guide writes them: `0` within, `X` breaching, `-` missing. */
const samples = (pattern: string) => ({
  Errors: pattern
    .split(" ")
    .flatMap((p, i) => (p === "-" ? [] : [[T0 + i * PERIOD + 10, p === "X" ? 5 : 0] as const])),
});
const after5 = [T0 + 5 * PERIOD];
const zero = { missingInArithmetic: "zero" } as const;

describe("test/support/cloudwatch-alarm-evaluator: the User Guide's missing-data tables", () => {
  // "How alarm state is evaluated when data is missing": 3 of 3, then 2 of 3; `retain` = current state.
  const threeOfThree: [string, Record<string, AlarmState | "retain">][] = [
    ["0 - X - X", { ignore: "OK", breaching: "OK", notBreaching: "OK" }],
    ["0 - - - -", { ignore: "OK", breaching: "OK", notBreaching: "OK" }],
    ["- - - - -", { ignore: "retain", breaching: "ALARM", notBreaching: "OK" }],
    ["0 X X - X", { ignore: "ALARM", breaching: "ALARM", notBreaching: "ALARM" }],
    ["- - - - X", { ignore: "retain", breaching: "ALARM", notBreaching: "OK" }],
    ["X - - - -", { ignore: "retain", breaching: "ALARM", notBreaching: "OK" }],
  ];
  const twoOfThree: [string, Record<string, AlarmState | "retain">][] = [
    ["0 - X - X", { ignore: "ALARM", breaching: "ALARM", notBreaching: "ALARM" }],
    ["0 0 X 0 X", { ignore: "ALARM", breaching: "ALARM", notBreaching: "ALARM" }],
    ["0 - X - -", { ignore: "OK", breaching: "ALARM", notBreaching: "OK" }],
    ["- - - - 0", { ignore: "OK", breaching: "ALARM", notBreaching: "OK" }],
    ["- - - - X", { ignore: "retain", breaching: "ALARM", notBreaching: "OK" }],
  ];

  it.each([
    ...threeOfThree.map(([p, e]) => [3, p, e] as const),
    ...twoOfThree.map(([p, e]) => [2, p, e] as const),
  ])("%i of 3, datapoints %s", (m, pattern, expected) => {
    for (const [mode, state] of Object.entries(expected)) {
      for (const initial of ["OK", "ALARM"] as const) {
        // Act
        const [actual] = evaluateAlarm(
          alarm({ datapointsToAlarm: m, treatMissingData: mode }),
          samples(pattern),
          after5,
          zero,
          initial,
        );

        // Assess
        expect(actual, `${mode} from ${initial}`).toBe(state === "retain" ? initial : state);
      }
    }
  });
});

describe("test/support/cloudwatch-alarm-evaluator: metric math", () => {
  const math = (expression: string): AlarmArgs => ({
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    threshold: 1,
    evaluationPeriods: 1,
    treatMissingData: "notBreaching",
    metricQueries: [
      { id: "e", expression, returnData: true },
      { id: "a", metric: { metricName: "A", period: PERIOD, stat: "Sum" } },
      { id: "b", metric: { metricName: "B", period: PERIOD, stat: "Sum" } },
    ],
  });
  const onlyA = { A: [[T0 + 4 * PERIOD + 1, 1]] as const };

  it("adds a present and a missing series as the switch says: as 0, or dropping the timestamp", () => {
    // Act
    const zeroed = evaluateAlarm(math("a + b"), onlyA, after5, zero);
    const dropped = evaluateAlarm(math("a + b"), onlyA, after5, { missingInArithmetic: "drop" });
    const filled = evaluateAlarm(math("FILL(a, 0) + FILL(b, 0)"), onlyA, after5, {
      missingInArithmetic: "drop",
    });
    const summed = evaluateAlarm(math("SUM([FILL(a, 0), FILL(b, 0)])"), onlyA, after5, {
      missingInArithmetic: "drop",
    });

    // Assess
    expect({ zeroed, dropped, filled, summed }).toEqual({
      zeroed: ["ALARM"],
      dropped: ["OK"],
      filled: ["ALARM"],
      summed: ["ALARM"],
    });
  });

  it("refuses what it does not model instead of guessing", () => {
    // Act / Assess
    expect(() => evaluateAlarm(math("RATE(a)"), onlyA, after5, zero)).toThrow(UnmodelledAlarmFeatureError);
    expect(() => evaluateAlarm(alarm({ treatMissingData: "missing" }), {}, after5, zero)).toThrow(
      /treatMissingData missing/,
    );
    expect(() =>
      evaluateAlarm(alarm({ statistic: "p99", treatMissingData: "ignore" }), {}, after5, zero),
    ).toThrow(/statistic p99/);
  });
});
