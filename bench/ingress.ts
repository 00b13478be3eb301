// bench/ingress: the three ingress figures of issue 6, with the emulators on loopback.
//   1. okta-hook handler latency (p50/p99) for 1, 10 and 100-event deliveries, in-process and over
//      local HTTP with autocannon (bounded in requests and seconds);
//   2. a mass import (10,000 group.user_membership.add in a minute) end to end through the local
//      stack: every event accounted for, per-user runs coalesced, nothing lost;
//   3. bundle size and module-init time of each Lambda (esbuild metafile).
// Run: npm run bench -- ingress   (writes bench/results/ingress.json)
//      BENCH_ONLY=burst npm run bench -- ingress     (part 2 only; replaces the burst part of the results)
//      BENCH_ONLY=latency npm run bench -- ingress   (part 1 only, prints, writes nothing;
//      BENCH_ONLY=in-process: part 1 without HTTP)
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import autocannon from "autocannon";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { build } from "esbuild";
import { createIdempotentPublisher } from "../adapters/idempotent-publisher.ts";
import { LifecycleBus } from "../adapters/lifecycle-bus.ts";
import { createOktaHookHandler } from "../functions/okta-hook/create-handler.ts";
import { localClientConfig, startAwsJsonServer } from "../local/emulators/aws-json-server.ts";
import { EstateFile } from "../local/estate/schema.ts";
import { randomHookSecret } from "../local/local-secrets.ts";
import { createEventBusEmulator } from "../local/runtime/event-bus-emulator.ts";
import { lambdaContext } from "../local/runtime/lambda-context.ts";
import { countSdkRequests } from "../local/runtime/sdk-request-counter.ts";
import { startStorageServers } from "../local/runtime/storage-servers.ts";
import { startGateway } from "../local/stack/gateway.ts";
import { startLocalStack } from "../local/stack/local-stack.ts";

process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
const SECRET = randomHookSecret();
const BATCHES = [1, 10, 100] as const;
const deactivate = JSON.parse(
  readFileSync(
    new URL("../test/fixtures/okta/docs/user-lifecycle-deactivate.logevent.json", import.meta.url),
    "utf8",
  ),
);
/** A hook body of `n` distinct (never deduplicated) leaver events. */
const hookBody = (n: number) =>
  JSON.stringify({
    eventType: "com.okta.event_hook",
    eventTypeVersion: "1.0",
    data: {
      events: Array.from({ length: n }, () => ({
        ...deactivate,
        uuid: randomUUID(),
        published: new Date().toISOString(),
      })),
    },
  });
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const round = (ms: number) => Math.round(ms * 100) / 100;

// ---------------------------------------------------------------------------------------------------
// 1. Handler latency: the real handler, batched idempotency records (adapters/event-claims.ts) on
// dynalite, PutEvents to the bus emulator. DynamoDB round trips are counted on the publisher's own client.
/** The fewest DynamoDB requests a delivery of n new events needs: ceil(n/25) claims + ceil(n/25) settles. */
const dynamoBound = (n: number) => 2 * Math.ceil(n / 25);
async function handlerLatency() {
  const storage = await startStorageServers({
    s3Port: 0,
    dynamoPort: 0,
    bucket: "bench",
    tables: { idempotency: "idem", state: "state" },
  });
  let delivered = 0;
  const bus = createEventBusEmulator("lifecycle", [
    { name: "count", pattern: {}, target: async () => void delivered++ },
  ]);
  const aws = await startAwsJsonServer([bus.service]);
  const dynamo = new DynamoDBClient({ ...localClientConfig(storage.dynamoEndpoint), maxAttempts: 3 });
  const dynamoRequests = countSdkRequests(dynamo);
  const handler = createOktaHookHandler({
    logger: new Logger({ serviceName: "okta-hook", logLevel: "WARN" }),
    metrics: new Metrics({ namespace: "Bench", serviceName: "okta-hook" }),
    hookSecrets: async () => [SECRET],
    normalizeOptions: { provisioningAppIds: [] },
    publish: createIdempotentPublisher({
      bus: new LifecycleBus({
        client: new EventBridgeClient(localClientConfig(aws.endpoint)),
        busName: "lifecycle",
      }),
      client: dynamo,
      tableName: "idem",
    }),
    now: () => new Date().toISOString(),
  }) as unknown as (e: APIGatewayProxyEventV2, c: Context) => Promise<APIGatewayProxyStructuredResultV2>;
  const request = (body: string) =>
    ({
      version: "2.0",
      routeKey: "POST /okta/events",
      rawPath: "/okta/events",
      rawQueryString: "",
      headers: { "content-type": "application/json", authorization: SECRET },
      requestContext: {
        accountId: "000000000000",
        apiId: "bench",
        domainName: "localhost",
        domainPrefix: "localhost",
        http: {
          method: "POST",
          path: "/okta/events",
          protocol: "HTTP/1.1",
          sourceIp: "127.0.0.1",
          userAgent: "bench",
        },
        requestId: randomUUID(),
        routeKey: "POST /okta/events",
        stage: "$default",
        time: new Date().toUTCString(),
        timeEpoch: Date.now(),
      },
      body,
      isBase64Encoded: false,
    }) as APIGatewayProxyEventV2;

  const inProcess: Record<
    string,
    {
      cpuP50: number;
      p50: number;
      p99: number;
      samples: number;
      dynamoRequests: number;
      dynamoWaves: number;
      dynamoBound: number;
    }
  > = {};
  for (const n of BATCHES) {
    const samples = n === 100 ? 100 : 300;
    const deadline = Date.now() + 30_000;
    for (let i = 0; i < 10; i++) await handler(request(hookBody(n)), lambdaContext("okta-hook")); // warm-up
    const times: number[] = [];
    // CPU the whole process spent (handler and emulators alike): what a loaded machine inflates least.
    const cpuTimes: number[] = [];
    let requests = 0;
    let waves = 0;
    while (times.length < samples && Date.now() < deadline) {
      const body = hookBody(n);
      dynamoRequests.reset();
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const res = await handler(request(body), lambdaContext("okta-hook"));
      times.push(performance.now() - started);
      const cpu = process.cpuUsage(cpuBefore);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
      if (res.statusCode !== 200) throw new Error(`handler answered ${res.statusCode}: ${res.body}`);
      // The most any delivery needed (each is the same work: round trips do not depend on the machine).
      requests = Math.max(requests, dynamoRequests.counts().total);
      waves = Math.max(waves, dynamoRequests.counts().waves);
    }
    times.sort((a, b) => a - b);
    cpuTimes.sort((a, b) => a - b);
    inProcess[n] = {
      cpuP50: round(percentile(cpuTimes, 50)),
      p50: round(percentile(times, 50)),
      p99: round(percentile(times, 99)),
      samples: times.length,
      dynamoRequests: requests,
      dynamoWaves: waves,
      dynamoBound: dynamoBound(n),
    };
    console.log(
      `in-process, ${n}-event deliveries: p50 ${inProcess[n].p50} ms, p99 ${inProcess[n].p99} ms, CPU p50 ${inProcess[n].cpuP50} ms (${times.length} deliveries); DynamoDB ${requests} requests in ${waves} waves per delivery (bound ${dynamoBound(n)} requests in 2 waves; target for 100 events: at most 10)`,
    );
  }

  if (process.env.BENCH_ONLY === "in-process") return { inProcess, http: {}, delivered };
  // Over local HTTP: the same handler behind the local API Gateway stand-in, autocannon on loopback.
  const gateway = await startGateway(0, {
    oktaHook: handler,
    okta: async () => false,
    aws: [],
    state: async () => ({}),
    page: async () => "",
  });
  const http: Record<string, { p50: number; p99: number; requests: number; eventsPerSecond: number }> = {};
  for (const n of BATCHES) {
    const result = await autocannon({
      url: `${gateway.url}/okta/events`,
      method: "POST",
      headers: { "content-type": "application/json", authorization: SECRET },
      connections: 10,
      // Bounded by count (autocannon's `amount` overrides `duration`): a few seconds to a minute each.
      amount: n === 1 ? 4_000 : n === 10 ? 2_000 : 300,
      requests: [{ setupRequest: (req) => ({ ...req, body: hookBody(n) }) }],
    });
    const ok = result["2xx"];
    const seconds = result.duration;
    http[n] = {
      p50: result.latency.p50,
      p99: result.latency.p99,
      requests: ok,
      eventsPerSecond: Math.round((ok * n) / seconds),
    };
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`HTTP bench: ${result.non2xx} non-2xx, ${result.errors} errors`);
    console.log(
      `HTTP (autocannon, 10 connections), ${n}-event deliveries: p50 ${http[n].p50} ms, p99 ${http[n].p99} ms, ${http[n].eventsPerSecond} events/s (${ok} requests in ${seconds.toFixed(1)} s)`,
    );
  }
  await gateway.close();
  await bus.idle();
  await aws.close();
  dynamo.destroy();
  await storage.close();
  return { inProcess, http, delivered };
}

// ---------------------------------------------------------------------------------------------------
// 2. The mass import, end to end through the local stack.
// Overridable for a quick look (BENCH_BURST_USERS=50 BENCH_BURST_SECONDS=5); the figures use the defaults.
const USERS = Number(process.env.BENCH_BURST_USERS ?? 200);
const GROUPS = 50;
const BURST_SECONDS = Number(process.env.BENCH_BURST_SECONDS ?? 60);

function importEstate() {
  return EstateFile.parse({
    organization: {
      managementAccountId: "999999999999",
      rootId: "r-be01",
      units: [{ id: "ou-be01-workload", name: "Workloads", parentId: "r-be01" }],
      accounts: [
        { id: "999999999999", name: "management", parentId: "r-be01" },
        { id: "200000000001", name: "workload-1", parentId: "ou-be01-workload" },
      ],
    },
    okta: {
      users: Array.from({ length: USERS }, (_, i) => ({
        login: `import${i}@example.com`,
        firstName: "Imported",
        lastName: `User${i}`,
        status: "ACTIVE",
      })),
      groups: [
        { name: "aws-engineers" },
        ...Array.from({ length: GROUPS }, (_, g) => ({ name: `imported-team-${g}` })),
      ],
      memberships: [],
    },
    identityCenter: {
      permissionSets: [{ name: "DeveloperAccess", sessionDuration: "PT4H" }],
      assignments: [{ group: "aws-engineers", permissionSet: "DeveloperAccess", ous: ["ou-be01-workload"] }],
      scim: { provisionedGroups: ["aws-engineers"] },
    },
  });
}
const IMPORT_POLICY = `version: 1
managementAccountId: "999999999999"
permissionSets: { DeveloperAccess: { sessionDuration: PT4H } }
rules:
  - { name: engineers, group: aws-engineers, permissionSet: DeveloperAccess, targets: { ous: [ou-be01-workload] } }
`;

async function burst() {
  const stack = await startLocalStack({
    port: 0,
    estate: importEstate(),
    policyYaml: IMPORT_POLICY,
    hookSecret: SECRET,
    holdSeconds: 3600,
    pollMs: 200,
    // The backstop sweeps once after the import (below): everything it finds again must be a duplicate.
    pollIntervalMs: 0,
  });
  try {
    const okta = stack.emulators.okta;
    // Isolate ingress: the runs' truth reads must not queue behind Okta's per-minute limits here.
    for (const family of Object.keys(okta.rateLimits.limits) as (keyof typeof okta.rateLimits.limits)[])
      okta.rateLimits.limits[family] = 1_000_000;
    const users = Array.from({ length: USERS }, (_, i) => okta.state.user(`import${i}@example.com`));
    const groups = Array.from({ length: GROUPS }, (_, g) => okta.state.groupNamed(`imported-team-${g}`));
    const context = okta.internalContext();
    const before = okta.systemLog.all().length;
    const started = performance.now();
    // A CSV-style import: one user at a time, all of that user's groups at once, paced over the minute.
    for (let i = 0; i < USERS; i++) {
      const user = users[i];
      for (const group of groups) if (user && group) okta.operations.addMember(context, group, user);
      const due = started + ((i + 1) * BURST_SECONDS * 1000) / USERS;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const importSeconds = (performance.now() - started) / 1000;
    const events = okta.systemLog
      .all()
      .slice(before)
      .filter((e) => e.eventType === "group.user_membership.add")
      .map((e) => String(e.uuid));
    // Drain: deliveries, a last poll (the backstop), bus targets; then the runs (trailing ones wait out their window).
    await stack.settle();
    await stack.pollNow();
    await stack.settle();
    const ingressSeconds = (performance.now() - started) / 1000;
    await stack.stepFunctions.idle();
    const seconds = (performance.now() - started) / 1000;
    // A run that failed may leave a task still running; let it finish before the stores close.
    await new Promise((r) => setTimeout(r, 2_000));

    const outcomes = stack.ingress.outcomes();
    const dispatched = new Map(stack.ingress.dispatched.map((d) => [d.oktaEventId, d.result]));
    const runs = stack.stepFunctions.executions();
    const runStatus = new Map(runs.map((r) => [r.name, r.status]));
    let published = 0;
    let duplicates = 0;
    let ignored = 0;
    let accounted = 0;
    for (const id of events) {
      const o = outcomes.get(id) ?? [];
      const publishedHere = o.filter((x) => x.endsWith(":published")).length;
      published += publishedHere;
      duplicates += o.filter((x) => x.endsWith(":duplicate")).length;
      const ignoredHere = o.some((x) => x.includes(":ignored:"));
      if (ignoredHere) ignored++;
      // Accounted: ignored with a reason, or published exactly once and handed to a run that succeeded.
      const result = dispatched.get(id);
      const run =
        result &&
        ("started" in result ? result.started : "coalesced" in result ? result.coalesced : undefined);
      if (ignoredHere || (publishedHere === 1 && run !== undefined && runStatus.get(run) === "SUCCEEDED"))
        accounted++;
    }
    const coalesced = stack.ingress.dispatched.filter((d) => "coalesced" in d.result).length;
    // What dispatch did with each published event, by kind (started / coalesced / duplicate / skipped).
    const dispatchKinds: Record<string, number> = {};
    for (const d of stack.ingress.dispatched) {
      const kind = Object.keys(d.result)[0] ?? "unknown";
      dispatchKinds[kind] = (dispatchKinds[kind] ?? 0) + 1;
    }
    const perUser = new Map<string, number>();
    for (const r of runs) {
      const user = r.name.replace(/-\d{8}T\d{9}Z-(lead|trail)$/, "");
      perUser.set(user, (perUser.get(user) ?? 0) + 1);
    }
    const maxRunsPerUser = Math.max(...perUser.values());
    const failed = runs.filter((r) => r.status !== "SUCCEEDED");
    const failedRuns = failed.length;
    for (const r of failed.slice(0, 3)) console.log(`  run ${r.name} ${r.status}: ${r.error}: ${r.cause}`);
    console.log(`  dispatch results: ${JSON.stringify(dispatchKinds)}`);
    // Dispatch failures (EventBridge would retry them; the local bus records them).
    const targetErrors: Record<string, number> = {};
    for (const d of stack.bus.delivered())
      if (!d.ok) targetErrors[d.error ?? "?"] = (targetErrors[d.error ?? "?"] ?? 0) + 1;
    console.log(`  bus target failures: ${JSON.stringify(targetErrors).slice(0, 600)}`);
    console.log(
      `burst: ${events.length} membership events imported in ${importSeconds.toFixed(1)} s; all accounted at ingress after ${ingressSeconds.toFixed(1)} s; every run done after ${seconds.toFixed(1)} s`,
    );
    console.log(
      `  published ${published} (once each), duplicates ${duplicates} (poller/hook retries), ignored ${ignored}; dispatch: ${runs.length} runs started, ${coalesced} events coalesced into a waiting run; at most ${maxRunsPerUser} runs per user; ${failedRuns} runs not SUCCEEDED`,
    );
    return {
      events: events.length,
      accounted,
      lost: events.length - accounted,
      workflowRuns: runs.length,
      seconds: Math.round(seconds * 10) / 10,
      detail: {
        importSeconds,
        ingressSeconds,
        published,
        duplicates,
        ignored,
        coalesced,
        maxRunsPerUser,
        failedRuns,
      },
    };
  } finally {
    await stack.stop();
  }
}

// ---------------------------------------------------------------------------------------------------
// 3. Bundles: esbuild as a deployment would bundle each Lambda entry; init = importing the bundle cold.
const LAMBDAS: Record<string, { entry: string; env: Record<string, string> }> = {
  "okta-hook": {
    entry: "functions/okta-hook/handler.ts",
    env: { LIFECYCLE_BUS_NAME: "bus", IDEMPOTENCY_TABLE: "idem", HOOK_SECRET_IDS: "current,next" },
  },
  "okta-logstream": {
    entry: "functions/okta-logstream/handler.ts",
    env: { LIFECYCLE_BUS_NAME: "bus", IDEMPOTENCY_TABLE: "idem" },
  },
  "okta-log-poll": {
    entry: "functions/okta-log-poll/handler.ts",
    env: {
      LIFECYCLE_BUS_NAME: "bus",
      IDEMPOTENCY_TABLE: "idem",
      STATE_TABLE: "state",
      OKTA_ORG_URL: "https://example.okta.com",
      OKTA_API_TOKEN_SECRET_ID: "okta-token",
    },
  },
  dispatch: {
    entry: "functions/dispatch/handler.ts",
    env: {
      USER_RECONCILE_ARN: "arn:aws:states:us-east-1:000000000000:stateMachine:user-reconcile",
      STATE_TABLE: "state",
    },
  },
};

export async function bundles(): Promise<Record<string, { bytes: number; initMs: number }>> {
  const out = await mkdtemp(path.join(tmpdir(), "okta-aws-lifecycle-bundles-"));
  const result: Record<string, { bytes: number; initMs: number }> = {};
  try {
    for (const [name, { entry, env }] of Object.entries(LAMBDAS)) {
      const outfile = path.join(out, `${name}.mjs`);
      const built = await build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node24",
        minify: true,
        metafile: true,
        logLevel: "error",
        // CommonJS dependencies in an ESM bundle need `require`.
        banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
      });
      const bytes = Object.values(built.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
      const inits: number[] = [];
      for (let i = 0; i < 5; i++) {
        const ms = execFileSync(
          process.execPath,
          [
            "--input-type=module",
            "-e",
            `const t=performance.now();await import(${JSON.stringify(pathToFileURL(outfile).href)});process.stdout.write(String(performance.now()-t));`,
          ],
          { env: { PATH: process.env.PATH, AWS_REGION: "us-east-1", ...env }, encoding: "utf8" },
        );
        inits.push(Number(ms));
      }
      inits.sort((a, b) => a - b);
      result[name] = { bytes, initMs: round(percentile(inits, 50)) };
      console.log(
        `bundle ${name}: ${(bytes / 1024).toFixed(0)} KiB, module init ${result[name].initMs} ms (median of 5 cold imports)`,
      );
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
  return result;
}

// Run only as `npm run bench -- ingress` (a test imports `bundles` to check the budgets).
if (process.argv[2] === "ingress" && process.env.BENCH_ONLY === "burst") {
  // Re-measures the mass import alone and replaces the `burst` part of bench/results/ingress.json.
  const burstResult = await burst();
  const file = "bench/results/ingress.json";
  const results = JSON.parse(readFileSync(file, "utf8"));
  results.burst = {
    events: burstResult.events,
    accounted: burstResult.accounted,
    lost: burstResult.lost,
    workflowRuns: burstResult.workflowRuns,
    seconds: burstResult.seconds,
  };
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`updated the burst part of ${file}`);
} else if (process.argv[2] === "ingress" && process.env.BENCH_ONLY?.match(/^(latency|in-process)$/)) {
  await handlerLatency();
} else if (process.argv[2] === "ingress") {
  const latency = await handlerLatency();
  const burstResult = await burst();
  const bundleResult = await bundles();
  const results = {
    handlerP99Ms: Object.fromEntries(BATCHES.map((n) => [String(n), latency.inProcess[n]?.p99 ?? null])),
    handlerP50Ms: Object.fromEntries(BATCHES.map((n) => [String(n), latency.inProcess[n]?.p50 ?? null])),
    dynamoRoundTripsPerDelivery: Object.fromEntries(
      BATCHES.map((n) => [
        String(n),
        {
          requests: latency.inProcess[n]?.dynamoRequests ?? null,
          waves: latency.inProcess[n]?.dynamoWaves ?? null,
          bound: dynamoBound(n),
        },
      ]),
    ),
    httpP99Ms: Object.fromEntries(BATCHES.map((n) => [String(n), latency.http[n]?.p99 ?? null])),
    httpEventsPerSecond: latency.http[10]?.eventsPerSecond ?? null,
    burst: {
      events: burstResult.events,
      accounted: burstResult.accounted,
      lost: burstResult.lost,
      workflowRuns: burstResult.workflowRuns,
      seconds: burstResult.seconds,
    },
    bundles: bundleResult,
  };
  await mkdir("bench/results", { recursive: true });
  await writeFile("bench/results/ingress.json", `${JSON.stringify(results, null, 2)}\n`);
  console.log("wrote bench/results/ingress.json");
}
