import fc from "fast-check";
import type { LocalStack } from "../local/stack/local-stack.ts";
import { CHAOS_GROUPS, CHAOS_USERS } from "./chaos-estate.ts";
import { runScenario } from "./run-scenario.ts";
import type { Step } from "./scenario.ts";

/** One memory and handle reading of the process that runs the whole local stack. */
export interface SoakSample {
  atSeconds: number;
  rssMb: number;
  heapUsedMb: number;
  /** Active handles and requests (sockets, timers, servers...). */
  handles: number;
  /** Buffers and other memory outside the V8 heap (sockets, zlib, s3rver streams). */
  externalMb: number;
  stepsDone: number;
  /** What the emulators keep by design: workflow executions and Okta System Log events. */
  executions: number;
  logEvents: number;
}

const user = fc.constantFrom(...CHAOS_USERS);
const group = fc.constantFrom(...CHAOS_GROUPS);
/** Steady traffic: leavers and their return, movers; no injected faults. */
const trafficStep: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constantFrom("deactivate" as const, "suspend" as const), user }),
  fc.record({ op: fc.constantFrom("activate" as const, "unsuspend" as const), user }),
  fc.record({ op: fc.constantFrom("add-to-group" as const, "remove-from-group" as const), user, group }),
);
const PACE_MS = 250;

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * `npm run chaos -- --soak M`: M minutes of steady lifecycle traffic (one change every 250 ms) on one
 * local stack, sampling memory and handles every 10 s (after a GC when node runs with --expose-gc),
 * then the chaos checks. Growth is read between the first sample after warm-up and the last.
 */
export async function runSoak(options: { seed: number; minutes: number; progress: (line: string) => void }) {
  const count = Math.max(1, Math.floor((options.minutes * 60_000) / PACE_MS));
  const changes = fc.sample(trafficStep, { seed: options.seed, numRuns: count });
  const steps: Step[] = changes.flatMap((s) => [s, { op: "wait" as const, ms: PACE_MS }]);
  const samples: SoakSample[] = [];
  const started = Date.now();
  let stepsDone = 0;
  let stack: LocalStack | undefined;
  const sample = () => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    samples.push({
      atSeconds: Math.round((Date.now() - started) / 1000),
      rssMb: mb(m.rss),
      heapUsedMb: mb(m.heapUsed),
      handles: process.getActiveResourcesInfo().length,
      externalMb: mb(m.external),
      stepsDone,
      executions: stack?.stepFunctions.executions().length ?? 0,
      logEvents: stack?.emulators.okta.systemLog.all().length ?? 0,
    });
    const s = samples.at(-1);
    options.progress(
      `soak ${s?.atSeconds} s: ${stepsDone}/${steps.length} steps, rss ${s?.rssMb} MB, heap ${s?.heapUsedMb} MB, external ${s?.externalMb} MB, handles ${s?.handles}, executions ${s?.executions}, log events ${s?.logEvents}`,
    );
  };
  const timer = setInterval(sample, 10_000);
  let result: Awaited<ReturnType<typeof runScenario>>;
  try {
    result = await runScenario(
      { version: 1, seed: options.seed, steps },
      {
        onStack: (s) => {
          stack = s;
        },
        onStep: () => {
          stepsDone++;
        },
      },
    );
  } finally {
    clearInterval(timer);
  }
  sample();
  const warm = samples[Math.min(samples.length - 1, Math.floor(samples.length / 10))] ?? samples[0];
  const last = samples.at(-1);
  const hours = Math.max(1e-9, ((last?.atSeconds ?? 0) - (warm?.atSeconds ?? 0)) / 3600);
  const growth = (f: (s: SoakSample) => number) =>
    warm && last ? Math.round(((f(last) - f(warm)) / hours) * 10) / 10 : 0;
  const report = [
    `soak: seed ${options.seed}, ${options.minutes} min, ${changes.length} lifecycle changes, ${result.events} Okta events (${result.acceptedEvents} accepted)`,
    `memory: rss ${warm?.rssMb} -> ${last?.rssMb} MB (${growth((s) => s.rssMb)} MB/h), heap ${warm?.heapUsedMb} -> ${last?.heapUsedMb} MB (${growth((s) => s.heapUsedMb)} MB/h)`,
    `handles: ${warm?.handles} -> ${last?.handles} (${growth((s) => s.handles)}/h)`,
    `retained by the emulators: ${warm?.executions} -> ${last?.executions} workflow executions, ${warm?.logEvents} -> ${last?.logEvents} System Log events` +
      (last && warm && last.executions > warm.executions
        ? ` (heap ${Math.round(((last.heapUsedMb - warm.heapUsedMb) * 1024) / (last.executions - warm.executions))} KB per execution)`
        : ""),
    `slowest time to revoke: ${result.slowestTimeToRevokeMs === null ? "n/a" : `${(result.slowestTimeToRevokeMs / 1000).toFixed(2)} s`}`,
    `divergences: ${result.divergences.length}`,
    ...result.divergences.slice(0, 20).map((d) => `  - ${d}`),
  ].join("\n");
  return { report, samples, divergences: result.divergences };
}
